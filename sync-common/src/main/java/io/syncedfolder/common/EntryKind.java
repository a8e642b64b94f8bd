package io.syncedfolder.common;

/** What a path names: a regular file or a directory. */
public enum EntryKind {
    FILE,
    DIRECTORY
}
