package io.syncedfolder.server.auth;

import io.syncedfolder.common.Hashing;
import java.util.HexFormat;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One account as {@code users.json} keeps it.
 *
 * @param name        the user's name: 1 to 32 of {@code a-z 0-9 _ -}
 * @param tokenSha256 the SHA-256 of the user's token, as 64 lowercase hex digits; the token itself is never kept
 * @param created     when the account was made, epoch milliseconds
 * @param namespace   the folder under {@code namespaces/} that holds the user's index: the name plus a random
 *                    suffix, so a user removed and added again under the same name starts empty
 */
public record UserRecord(String name, String tokenSha256, long created, String namespace) {
    /** What a user name may look like. */
    public static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,32}");
    /** The namespace, and the user name, of single-token mode ({@code --token}); no account may take it. */
    public static final String DEFAULT = "default";

    public UserRecord {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(tokenSha256, "tokenSha256");
        Objects.requireNonNull(namespace, "namespace");
        if (!NAME.matcher(name).matches() || name.equals(DEFAULT)) {
            throw new IllegalArgumentException("not a user name: " + name);
        }
        if (!tokenSha256.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("not a SHA-256: " + tokenSha256);
        }
        if (!namespace.matches("[a-z0-9_-]{1,32}\\.[0-9a-f]{16}")) {
            throw new IllegalArgumentException("not a namespace: " + namespace);
        }
    }

    /** Returns the hash as bytes, for a constant-time comparison. */
    byte[] hashBytes() {
        return HexFormat.of().parseHex(tokenSha256);
    }

    /** Returns a new account for {@code name} whose token hashes to {@code hash}. */
    static UserRecord create(String name, byte[] hash, long now) {
        return new UserRecord(name, Hashing.hex(hash), now, name + "." + Tokens.randomHex(8));
    }

    /** Returns this account with a new token hash. */
    UserRecord withHash(byte[] hash) {
        return new UserRecord(name, Hashing.hex(hash), created, namespace);
    }

    /** Returns why {@code name} cannot be a user name, or null if it can. */
    public static String nameProblem(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            return "a user name is 1 to 32 characters of a-z, 0-9, _ and -";
        }
        if (name.equals(DEFAULT)) {
            return "\"" + DEFAULT + "\" is reserved for the --token user";
        }
        return null;
    }
}
