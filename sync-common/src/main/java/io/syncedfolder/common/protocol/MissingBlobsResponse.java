package io.syncedfolder.common.protocol;

import java.util.List;

/** The 422 answer to a commit that refers to blobs the server does not hold: nothing was applied. */
public record MissingBlobsResponse(String error, String detail, List<String> missing) {
    public MissingBlobsResponse {
        missing = missing == null ? List.of() : List.copyOf(missing);
    }
}
