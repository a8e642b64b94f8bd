package io.syncedfolder.common.protocol;

import java.util.List;

/** Asks for these chunks, in this order, as one pack ({@code POST /blobs/fetch}). */
public record FetchRequest(List<String> hashes) {
    public FetchRequest {
        hashes = hashes == null ? List.of() : List.copyOf(hashes);
    }
}
