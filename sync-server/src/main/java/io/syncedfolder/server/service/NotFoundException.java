package io.syncedfolder.server.service;

/** Thrown when a request names something the server does not have (a path, a version); answered with 404. */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String detail) {
        super(detail);
    }
}
