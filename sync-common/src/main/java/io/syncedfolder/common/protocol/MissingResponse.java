package io.syncedfolder.common.protocol;

import java.util.List;

/** The subset of the asked hashes that the server lacks. */
public record MissingResponse(List<String> missing) {
    public MissingResponse {
        missing = missing == null ? List.of() : List.copyOf(missing);
    }
}
