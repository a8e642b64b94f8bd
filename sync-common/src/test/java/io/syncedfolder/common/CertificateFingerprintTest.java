package io.syncedfolder.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CertificateFingerprintTest {
    private static final String HEX = Hashing.sha256Hex("a certificate".getBytes(StandardCharsets.US_ASCII));

    @Test
    void isTheSha256OfTheEncodingWithAPrefix() {
        assertThat(CertificateFingerprint.of("a certificate".getBytes(StandardCharsets.US_ASCII)))
                .isEqualTo("SHA256:" + HEX);
    }

    @Test
    void parsesWhatTheServerPrintsAndWhatOpensslPrints() {
        String colons = HEX.toUpperCase(java.util.Locale.ROOT).replaceAll("(..)(?!$)", "$1:");

        assertThat(CertificateFingerprint.parse("SHA256:" + HEX)).isEqualTo("SHA256:" + HEX);
        assertThat(CertificateFingerprint.parse(" sha256:" + colons + " ")).isEqualTo("SHA256:" + HEX);
        assertThat(CertificateFingerprint.parse(HEX)).isEqualTo("SHA256:" + HEX);
    }

    @Test
    void refusesAnythingElse() {
        for (String bad : new String[] {"SHA256:" + HEX.substring(2), "SHA256:" + HEX + "00", "SHA1:" + HEX,
                "SHA256:" + HEX.substring(0, 2) + ":" + HEX.substring(2), "SHA256:" + HEX.replace('a', 'g'), ""}) {
            assertThatThrownBy(() -> CertificateFingerprint.parse(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64 hex digits");
        }
    }
}
