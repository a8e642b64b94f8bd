package io.syncedfolder.common;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers; every hash on the wire and on disk is 64 lowercase hex digits. */
public final class Hashing {
    private static final int SHA256_HEX_LENGTH = 64;
    private static final HexFormat HEX = HexFormat.of();

    /** The SHA-256 of zero bytes. */
    public static final String EMPTY_SHA256 = sha256Hex(new byte[0]);

    private Hashing() {
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new AssertionError("every Java runtime has SHA-256", e);
        }
    }

    public static String hex(byte[] digest) {
        return HEX.formatHex(digest);
    }

    public static String sha256Hex(byte[] data) {
        return hex(sha256().digest(data));
    }

    /**
     * True if {@code value} is 64 lowercase hex digits. A loop, not a regular expression: the server checks every
     * hash of every commit, and matching {@code [0-9a-f]{64}} took a fifth of its commit service's time for W1's
     * 10,100 changes (54 of 244 ms in a wall-clock profile).
     */
    public static boolean isSha256Hex(String value) {
        if (value == null || value.length() != SHA256_HEX_LENGTH) {
            return false;
        }
        for (int i = 0; i < SHA256_HEX_LENGTH; i++) {
            char c = value.charAt(i);
            if ((c < '0' || c > '9') && (c < 'a' || c > 'f')) {
                return false;
            }
        }
        return true;
    }
}
