package io.syncedfolder.server;

/**
 * The answer to {@code GET /status}: what the server is and holds, for the web page and for people with curl.
 *
 * @param version       the server's version
 * @param startedAt     when this process started serving, epoch milliseconds
 * @param uptimeSeconds whole seconds since then
 * @param sequence      the version of the latest accepted change
 * @param indexId       the index's identity (see {@code ChangesResponse})
 * @param files         live files in the index
 * @param folders       live folders in the index
 * @param bytes         the sizes of the live files added up
 * @param deleted       deleted paths the index remembers (tombstones)
 * @param stats         what the server has answered since it started
 */
public record ServerStatus(String version, long startedAt, long uptimeSeconds, long sequence, String indexId,
                           long files, long folders, long bytes, long deleted, ServerStats stats) {
}
