package io.syncedfolder.common;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names a TLS certificate by the SHA-256 of its DER encoding, written {@code SHA256:} followed by 64 lowercase hex
 * digits. The server prints it at start-up and {@code sync-server cert generate} prints it for a new certificate;
 * the client's {@code --server-fingerprint} takes it back, also in the colon-separated upper-case form that
 * {@code openssl x509 -noout -fingerprint -sha256} prints.
 */
public final class CertificateFingerprint {
    public static final String PREFIX = "SHA256:";
    private static final Pattern HEX_PAIRS = Pattern.compile("[0-9a-f]{2}(:?[0-9a-f]{2}){31}");

    private CertificateFingerprint() {
    }

    /** Returns the fingerprint of a certificate given in its DER encoding ({@code Certificate.getEncoded()}). */
    public static String of(byte[] der) {
        return PREFIX + Hashing.sha256Hex(der);
    }

    /**
     * Returns {@code given} in the form {@link #of} returns, so the two compare with {@code equals}.
     *
     * @throws IllegalArgumentException if it is not a SHA-256 fingerprint; the message shows the expected form
     */
    public static String parse(String given) {
        String value = given.strip();
        if (value.regionMatches(true, 0, PREFIX, 0, PREFIX.length())) {
            value = value.substring(PREFIX.length());
        }
        value = value.toLowerCase(Locale.ROOT);
        if (!HEX_PAIRS.matcher(value).matches() || (value.contains(":") && value.length() != 95)) {
            throw new IllegalArgumentException("'" + given + "' is not a certificate fingerprint; expected "
                    + PREFIX + " and 64 hex digits, as the server prints at start-up");
        }
        return PREFIX + value.replace(":", "");
    }
}
