package io.syncedfolder.common.protocol;

import java.util.List;

/** Asks which of these blob hashes the server does not hold yet. */
public record MissingRequest(List<String> hashes) {
    public MissingRequest {
        hashes = hashes == null ? List.of() : List.copyOf(hashes);
    }
}
