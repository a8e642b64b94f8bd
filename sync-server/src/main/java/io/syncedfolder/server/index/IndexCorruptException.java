package io.syncedfolder.server.index;

import java.io.IOException;
import java.nio.file.Path;

/** Thrown at start-up when an index file cannot be trusted; the message names the file and, if known, the line. */
public final class IndexCorruptException extends IOException {

    IndexCorruptException(Path file, String reason, Throwable cause) {
        super("index file " + file + " is corrupt: " + reason, cause);
    }

    IndexCorruptException(Path file, long line, String reason, Throwable cause) {
        super("index file " + file + " is corrupt at line " + line + ": " + reason, cause);
    }
}
