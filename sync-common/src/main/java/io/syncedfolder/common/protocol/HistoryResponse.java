package io.syncedfolder.common.protocol;

import java.util.List;

/**
 * The answer to {@code GET /history?path=P}: the current version of {@code path} first, then every earlier version
 * the server still keeps, newest first.
 */
public record HistoryResponse(String path, List<VersionInfo> versions) {
    public HistoryResponse {
        versions = versions == null ? List.of() : List.copyOf(versions);
    }
}
