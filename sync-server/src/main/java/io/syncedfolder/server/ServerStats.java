package io.syncedfolder.server;

/**
 * Counts what a {@link SyncServer} has answered since it started, for tests and benchmarks; see
 * {@link SyncServer#stats()}. Only authenticated API requests count.
 *
 * @param commitRequests     {@code POST /commit} requests answered, whatever the answer (200, 400, 409, 413,
 *                           422, 500)
 * @param acceptedCommits    commits applied (200)
 * @param staleCommits       commits refused because a base version was not current (409)
 * @param missingBlobCommits commits refused because chunks were never uploaded (422)
 * @param blobUploads        {@code PUT /blobs/{sha256}} requests of raw bytes that stored a new blob (201; not 200
 *                           "already present", not refused uploads, not deltas: see {@code deltaUploads})
 * @param blobDownloads      {@code GET /blobs/{sha256}} requests that found the blob and started sending it (200)
 * @param packUploads        {@code POST /blobs/pack} requests read to their end and answered 200, whether or not
 *                           their chunks were new
 * @param packFetches        {@code POST /blobs/fetch} requests that found every chunk and started sending (200)
 * @param chunkBytesReceived chunk content bytes read from {@code PUT /blobs/{sha256}} and {@code POST /blobs/pack}
 *                           bodies, whether new, already stored or refused (pack record headers not included)
 * @param chunkBytesSent     chunk content bytes read from the store to be sent by {@code GET /blobs/{sha256}} and
 *                           {@code POST /blobs/fetch} (pack record headers not included); when a connection
 *                           breaks, it may exceed what arrived by a buffer
 * @param deltaFetches       {@code POST /blobs/delta} requests answered with a delta (200)
 * @param deltaBytesSent     bytes of those deltas
 * @param deltaUploads       {@code PUT /blobs/{sha256}} requests whose delta rebuilt the chunk, stored (201/200)
 * @param deltaBytesReceived delta bytes read from {@code PUT /blobs/{sha256}} bodies sent as deltas, whatever
 *                           became of them
 * @param changeRequests     {@code GET /changes} requests, long polls included, whatever the answer
 * @param waitingLongPolls   long polls parked right now (a gauge, not a count)
 * @param restores           {@code POST /restore} requests that made a new version (200)
 * @param gcRuns             garbage collections finished, scheduled or called directly
 * @param gcBlobsDeleted     blobs those collections deleted
 * @param gcBytesFreed       bytes of the blobs they deleted
 */
public record ServerStats(long commitRequests, long acceptedCommits, long staleCommits, long missingBlobCommits,
                          long blobUploads, long blobDownloads, long packUploads, long packFetches,
                          long chunkBytesReceived, long chunkBytesSent, long deltaFetches, long deltaBytesSent,
                          long deltaUploads, long deltaBytesReceived,
                          long changeRequests, long waitingLongPolls,
                          long restores, long gcRuns, long gcBlobsDeleted, long gcBytesFreed) {
}
