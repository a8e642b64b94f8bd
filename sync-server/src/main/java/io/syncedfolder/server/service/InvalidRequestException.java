package io.syncedfolder.server.service;

/**
 * Thrown when a request breaks the protocol's rules; it is answered with 400 and changes nothing.
 *
 * <p>{@link #error()} is the short machine-readable reason, the message a sentence for people.
 */
public final class InvalidRequestException extends IllegalArgumentException {
    private final String error;

    public InvalidRequestException(String error, String detail) {
        super(detail);
        this.error = error;
    }

    /** Returns an exception for a request that breaks a protocol rule. */
    public static InvalidRequestException badRequest(String detail) {
        return new InvalidRequestException("bad request", detail);
    }

    /** Returns an exception for a path that breaks the path rules (SPEC §4). */
    public static InvalidRequestException badPath(String detail) {
        return new InvalidRequestException("bad path", detail);
    }

    public String error() {
        return error;
    }
}
