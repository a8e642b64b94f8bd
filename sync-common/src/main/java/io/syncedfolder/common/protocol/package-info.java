/**
 * The JSON records exchanged over HTTP between client and server; they import nothing of either side.
 *
 * <p>Routes (all under {@code /api/v1}, bearer token required):
 * <ul>
 *   <li>{@code GET /changes?since=N&limit=M} → {@link io.syncedfolder.common.protocol.ChangesResponse}</li>
 *   <li>{@code POST /blobs/missing} {@link io.syncedfolder.common.protocol.MissingRequest}
 *       → {@link io.syncedfolder.common.protocol.MissingResponse}</li>
 *   <li>{@code POST /blobs/pack} a {@link io.syncedfolder.common.protocol.PackFormat} body (Content-Type
 *       {@value io.syncedfolder.common.protocol.PackFormat#MEDIA_TYPE}), each chunk verified against its hash
 *       → 200 {@link io.syncedfolder.common.protocol.PackUploadResponse}; 400 for a malformed or cut-short pack or a
 *       chunk whose bytes do not match its hash (the records before it stay stored, nothing after it is), 413 for
 *       a chunk over 8 MiB or more than 10,000 records, 415 for another Content-Type</li>
 *   <li>{@code POST /blobs/fetch} {@link io.syncedfolder.common.protocol.FetchRequest} (at most 10,000 hashes)
 *       → 200 a pack of exactly those chunks in that order, duplicates included, with its Content-Length;
 *       404 naming the chunks not stored (nothing else is sent)</li>
 *   <li>{@code POST /blobs/delta} {@link io.syncedfolder.common.protocol.DeltaRequest} → 200 a
 *       {@link io.syncedfolder.common.protocol.DeltaFormat} delta that rebuilds the chunk from the base, with its
 *       Content-Length; 404 naming whichever of the two is not stored, 400 if either is larger than 8 MiB</li>
 *   <li>{@code PUT /blobs/{sha256}} raw bytes → 201 (stored) or 200 (already present); with Content-Type
 *       {@value io.syncedfolder.common.protocol.DeltaFormat#MEDIA_TYPE} and {@code ?base=B&size=N}, a delta
 *       against chunk B that rebuilds the N-byte chunk → the same, or 400 ({@code hash mismatch},
 *       {@code bad delta}), 404 if B is not stored</li>
 *   <li>{@code GET /blobs/{sha256}} → raw bytes</li>
 *   <li>{@code GET /blobs/{sha256}/signature} → the chunk's
 *       {@link io.syncedfolder.common.protocol.BlockSignature}; 404 if it is not stored</li>
 *   <li>{@code POST /commit} {@link io.syncedfolder.common.protocol.CommitRequest}
 *       → 200 {@link io.syncedfolder.common.protocol.CommitResponse},
 *       409 {@link io.syncedfolder.common.protocol.StaleResponse},
 *       422 {@link io.syncedfolder.common.protocol.MissingBlobsResponse}</li>
 *   <li>{@code GET /history?path=P} → {@link io.syncedfolder.common.protocol.HistoryResponse}; 404 if the server
 *       never had P</li>
 *   <li>{@code GET /trash} → {@link io.syncedfolder.common.protocol.TrashResponse}</li>
 *   <li>{@code POST /restore} {@link io.syncedfolder.common.protocol.RestoreRequest}
 *       → 200 the new {@link io.syncedfolder.common.FileEntry}; 404 if that version is not kept, 400 if it is a
 *       directory or a deletion</li>
 * </ul>
 * Every other 4xx answer carries an {@link io.syncedfolder.common.protocol.ErrorBody}.
 */
package io.syncedfolder.common.protocol;
