package io.syncedfolder.client.remote;

import java.io.IOException;

/**
 * A local file could not be read while its bytes were being sent (it shrank or vanished); the request was
 * abandoned, but the server is fine.
 */
public final class LocalReadException extends IOException {
    public LocalReadException(String message, IOException cause) {
        super(message, cause);
    }
}
