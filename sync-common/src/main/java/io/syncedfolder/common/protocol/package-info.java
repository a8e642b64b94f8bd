/**
 * The JSON records exchanged over HTTP between client and server; they import nothing of either side.
 *
 * <p>Routes (all under {@code /api/v1}, bearer token required):
 * <ul>
 *   <li>{@code GET /changes?since=N&limit=M} → {@link io.syncedfolder.common.protocol.ChangesResponse}</li>
 *   <li>{@code POST /blobs/missing} {@link io.syncedfolder.common.protocol.MissingRequest}
 *       → {@link io.syncedfolder.common.protocol.MissingResponse}</li>
 *   <li>{@code PUT /blobs/{sha256}} raw bytes → 201 (stored) or 200 (already present)</li>
 *   <li>{@code GET /blobs/{sha256}} → raw bytes</li>
 *   <li>{@code POST /commit} {@link io.syncedfolder.common.protocol.CommitRequest}
 *       → 200 {@link io.syncedfolder.common.protocol.CommitResponse},
 *       409 {@link io.syncedfolder.common.protocol.StaleResponse},
 *       422 {@link io.syncedfolder.common.protocol.MissingBlobsResponse}</li>
 * </ul>
 * Every other 4xx answer carries an {@link io.syncedfolder.common.protocol.ErrorBody}.
 */
package io.syncedfolder.common.protocol;
