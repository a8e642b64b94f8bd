package io.syncedfolder.server.service;

/** Thrown when a request is larger than the server accepts (see {@link Limits}); it is answered with 413. */
public final class RequestTooLargeException extends IllegalArgumentException {
    public RequestTooLargeException(String detail) {
        super(detail);
    }
}
