package io.syncedfolder.server.auth;

import io.syncedfolder.common.Hashing;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Makes access tokens and the hashes the server keeps of them.
 *
 * <p>A token is 32 bytes from {@link SecureRandom} (256 bits), written as base64url without padding (43
 * characters, safe in a URL, a header or a shell). It embeds nothing: not the user name, not a time.
 *
 * <p>Only the token's SHA-256 is stored. A slow password hash (bcrypt, Argon2) protects <em>guessable</em>
 * secrets against offline guessing; a 256-bit random token cannot be guessed whatever the hash costs, so a fast
 * hash loses nothing, and it lets every request be checked in microseconds.
 */
public final class Tokens {
    private static final int TOKEN_BYTES = 32;
    private static final SecureRandom RANDOM = new SecureRandom();

    private Tokens() {
    }

    /** Returns a fresh random token. */
    public static String generate() {
        byte[] bytes = new byte[TOKEN_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    /** Returns {@code bytes} random bytes as lowercase hex, for identifiers that must not be guessable. */
    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    /** Returns the SHA-256 of {@code token}'s UTF-8 bytes: what is stored and compared, never the token. */
    public static byte[] hash(String token) {
        return Hashing.sha256().digest(token.getBytes(StandardCharsets.UTF_8));
    }
}
