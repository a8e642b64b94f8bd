/**
 * The file index: the current entry of every path, optimistic commits and the change feed.
 *
 * <p>{@link io.syncedfolder.server.index.FileIndex} is the storage-agnostic contract;
 * {@link io.syncedfolder.server.index.JsonFileIndex} keeps it in a JSON snapshot plus an fsynced journal.
 */
package io.syncedfolder.server.index;
