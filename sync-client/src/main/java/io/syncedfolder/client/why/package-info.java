/**
 * Explains decisions: the sync loop records what each pass decided and why ({@link
 * io.syncedfolder.client.why.DecisionLog}); {@code sync-client why PATH} reads it back without changing anything.
 */
package io.syncedfolder.client.why;
