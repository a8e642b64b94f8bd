package io.syncedfolder.server.tls;

/** The certificate or key file cannot be served: missing, unreadable, not PEM, or the two do not belong together. */
public final class BadTlsFilesException extends Exception {
    BadTlsFilesException(String message) {
        super(message);
    }

    BadTlsFilesException(String message, Throwable cause) {
        super(message, cause);
    }
}
