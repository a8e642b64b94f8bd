package io.syncedfolder.server.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * Accepts requests whose {@code Authorization} header carries the server's single bearer token.
 *
 * <p>A missing header, another scheme, and a wrong token are all just "not accepted", so the caller gives the
 * same answer to each and a client learns nothing about which it was.
 */
public final class BearerAuthenticator {
    private static final String SCHEME = "Bearer ";

    private final byte[] token;

    public BearerAuthenticator(String token) {
        Objects.requireNonNull(token, "token");
        if (token.isBlank()) {
            throw new IllegalArgumentException("the access token must not be blank");
        }
        this.token = token.getBytes(StandardCharsets.UTF_8);
    }

    /** Returns true if {@code authorizationHeader} is {@code Bearer <token>} with the right token. */
    public boolean accepts(String authorizationHeader) {
        if (authorizationHeader == null
                || !authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        byte[] offered = authorizationHeader.substring(SCHEME.length()).trim().getBytes(StandardCharsets.UTF_8);
        // Constant-time comparison, so response timing does not reveal how much of a guess was right.
        return MessageDigest.isEqual(offered, token);
    }
}
