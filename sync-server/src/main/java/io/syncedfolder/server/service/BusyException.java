package io.syncedfolder.server.service;

/** Thrown when the server is too busy for an optional piece of work the client can do without; answered with 503. */
public final class BusyException extends RuntimeException {
    public BusyException(String detail) {
        super(detail);
    }
}
