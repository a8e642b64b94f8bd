package io.syncedfolder.server.auth;

import java.security.MessageDigest;
import java.util.Optional;

/**
 * Decides who sends a request from its {@code Authorization: Bearer <token>} header: the {@code --token} holder
 * (user and namespace {@value UserRecord#DEFAULT}, also the operator who may read {@code /metrics}), an account of
 * {@code users.json}, or nobody.
 *
 * <p>A missing header, another scheme, an unknown token and a revoked one are all just "nobody", so the caller gives
 * one answer to each. The presented token is hashed and compared with every known hash in constant time, all of
 * them every time: neither the answer nor its timing says whether a user exists or how close a guess was.
 */
public final class Authenticator {
    private static final String SCHEME = "Bearer ";

    /**
     * Who sent a request.
     *
     * @param user      the account name ({@value UserRecord#DEFAULT} for the {@code --token} holder)
     * @param namespace the folder under {@code namespaces/} holding this user's index
     * @param operator  true for the {@code --token} holder, who may read server-wide figures
     */
    public record Principal(String user, String namespace, boolean operator) {
    }

    private final byte[] singleTokenHash;
    private final UserDirectory users;

    /**
     * @param singleToken the {@code --token} token, or null for accounts only
     * @param users       the accounts, or null for the single token only
     */
    public Authenticator(String singleToken, UserDirectory users) {
        if (singleToken != null && singleToken.isBlank()) {
            throw new IllegalArgumentException("the access token must not be blank");
        }
        if (singleToken == null && users == null) {
            throw new IllegalArgumentException("no token and no accounts: nobody could sign in");
        }
        this.singleTokenHash = singleToken == null ? null : Tokens.hash(singleToken);
        this.users = users;
    }

    /** Returns an authenticator that accepts only {@code token}, as {@code --token} does. */
    public static Authenticator singleToken(String token) {
        return new Authenticator(token, null);
    }

    /** Returns who sent {@code authorizationHeader}, or empty if it names nobody this server knows. */
    public Optional<Principal> authenticate(String authorizationHeader) {
        if (authorizationHeader == null
                || !authorizationHeader.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String token = authorizationHeader.substring(SCHEME.length()).trim();
        if (token.isEmpty()) {
            return Optional.empty();
        }
        byte[] offered = Tokens.hash(token);
        Principal found = null;
        if (singleTokenHash != null && MessageDigest.isEqual(offered, singleTokenHash)) {
            found = new Principal(UserRecord.DEFAULT, UserRecord.DEFAULT, true);
        }
        if (users != null) {
            // No early exit: every hash is compared, so the time taken does not depend on which one matched.
            for (UserRecord user : users.current()) {
                if (MessageDigest.isEqual(offered, user.hashBytes()) && found == null) {
                    found = new Principal(user.name(), user.namespace(), false);
                }
            }
        }
        return Optional.ofNullable(found);
    }
}
