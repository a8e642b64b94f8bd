package io.syncedfolder.server.blob;

import java.io.IOException;

/** Thrown when the stream of an upload fails before its end (the sender went away); nothing was stored. */
public final class IncompleteUploadException extends IOException {
    public IncompleteUploadException(long received, IOException cause) {
        super("the upload broke off after " + received + " bytes: " + cause.getMessage(), cause);
    }
}
