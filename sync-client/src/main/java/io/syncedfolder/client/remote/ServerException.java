package io.syncedfolder.client.remote;

import java.io.IOException;

/** The server answered, but refused the request; the message is a sentence for people. */
public final class ServerException extends IOException {
    private final int status;
    private final String error;

    public ServerException(int status, String error, String message) {
        super(message);
        this.status = status;
        this.error = error == null ? "" : error;
    }

    public int status() {
        return status;
    }

    /** The server's short machine-readable reason, e.g. {@code "hash mismatch"}. */
    public String error() {
        return error;
    }
}
