package io.syncedfolder.server.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.util.io.pem.PemObject;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading the PEM files people bring: PKCS #8 and the older RSA / EC key formats, with certificate chains. */
class TlsIdentityTest {
    @TempDir
    Path tmp;

    @Test
    void readsTheOlderEcPrivateKeyFormat() throws Exception {
        SelfSignedCertificate.Written pair = SelfSignedCertificate.write(tmp, List.of(), Instant.now());
        PrivateKeyInfo info;
        try (PEMParser parser = new PEMParser(Files.newBufferedReader(pair.keyFile()))) {
            info = (PrivateKeyInfo) parser.readObject();
        }
        ECPrivateKey key = (ECPrivateKey) new JcaPEMKeyConverter().getPrivateKey(info);
        // As `openssl ecparam -genkey` writes it: the curve named inside, after an EC PARAMETERS block.
        Path ecKey = Files.writeString(tmp.resolve("ec-key.pem"),
                pem(new PemObject("EC PARAMETERS", info.getPrivateKeyAlgorithm().getParameters().toASN1Primitive()
                        .getEncoded()))
                + pem(new PemObject("EC PRIVATE KEY", new org.bouncycastle.asn1.sec.ECPrivateKey(256, key.getS(),
                        info.getPrivateKeyAlgorithm().getParameters()).getEncoded())));
        assertThat(ecKey).content().contains("-----BEGIN EC PRIVATE KEY-----");

        TlsIdentity identity = TlsIdentity.load(pair.certFile(), ecKey);

        assertThat(identity.fingerprint()).isEqualTo(pair.fingerprint());
    }

    @Test
    void readsAnRsaKeyInTheOlderFormatWithAChainOfTwo() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        KeyPair authority = rsa.generateKeyPair();
        KeyPair server = rsa.generateKeyPair();
        X509Certificate issuer = certificate("CN=Test Authority", "CN=Test Authority", authority.getPublic(), authority);
        X509Certificate leaf = certificate("CN=Test Authority", "CN=localhost", server.getPublic(), authority);
        Path chain = Files.writeString(tmp.resolve("chain.pem"), pem(leaf) + pem(issuer));
        Path rsaKey = Files.writeString(tmp.resolve("rsa-key.pem"), pem(server.getPrivate()));
        assertThat(rsaKey).content().startsWith("-----BEGIN RSA PRIVATE KEY-----");

        TlsIdentity identity = TlsIdentity.load(chain, rsaKey);

        assertThat(identity.certificate()).isEqualTo(leaf);
        assertThat(identity.keyStore().getCertificateChain("server")).containsExactly(leaf, issuer);
    }

    private static X509Certificate certificate(String issuer, String subject, java.security.PublicKey key,
                                               KeyPair signer) throws Exception {
        Instant now = Instant.now();
        return new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(new X500Name(issuer),
                BigInteger.valueOf(now.toEpochMilli()), Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(1))), new X500Name(subject), key)
                .build(new JcaContentSignerBuilder("SHA256withRSA").build(signer.getPrivate())));
    }

    private static String pem(Object item) throws Exception {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(item);
        }
        return text.toString();
    }
}
