package io.syncedfolder.server.service;

/** Thrown when a request cannot be applied to the index as it is now; answered with 409 and changes nothing. */
public final class ConflictException extends RuntimeException {
    public ConflictException(String detail) {
        super(detail);
    }
}
