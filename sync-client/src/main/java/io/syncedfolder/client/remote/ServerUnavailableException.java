package io.syncedfolder.client.remote;

import java.io.IOException;

/** The server could not be reached, or the connection broke: the whole pass stops and is retried later. */
public final class ServerUnavailableException extends IOException {
    public ServerUnavailableException(String message, IOException cause) {
        super(message, cause);
    }
}
