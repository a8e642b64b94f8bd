/**
 * The file index: the current entry of every path, the earlier versions a
 * {@link io.syncedfolder.server.index.RetentionPolicy} keeps, optimistic commits and the change feed.
 *
 * <p>{@link io.syncedfolder.server.index.FileIndex} is the storage-agnostic contract;
 * {@link io.syncedfolder.server.index.JsonFileIndex} keeps it in a JSON snapshot plus an fsynced journal.
 * {@link io.syncedfolder.server.index.SequenceListener} is how it tells the rest of the server that a commit landed
 * (the seam a database's LISTEN/NOTIFY would fill).
 */
package io.syncedfolder.server.index;
