package io.syncedfolder.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.server.ServerConfig;
import io.syncedfolder.server.SyncServer;
import io.syncedfolder.server.tls.SelfSignedCertificate;
import io.syncedfolder.server.tls.TlsIdentity;
import java.io.IOException;
import java.math.BigInteger;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * HTTPS between real clients and a real server on 127.0.0.1, with a certificate made by {@code cert generate}:
 * every test does a real TLS handshake. A pinned certificate is trusted, another one is refused with a line that
 * says what to do, and so is a self-signed one without a pin.
 */
class TlsTest {
    @TempDir
    Path temp;

    private SyncServer server;
    private String fingerprint;

    @BeforeEach
    void startHttpsServer() throws Exception {
        SelfSignedCertificate.Written pair = SelfSignedCertificate.write(temp.resolve("tls"), List.of(), Instant.now());
        TlsIdentity tls = TlsIdentity.load(pair.certFile(), pair.keyFile());
        server = SyncServer.start(ServerConfig.localhost(temp.resolve("server"), TestServer.TOKEN).withTls(tls));
        fingerprint = pair.fingerprint();
        assertThat(tls.fingerprint()).isEqualTo(fingerprint);
        assertThat(server.baseUrl()).startsWith("https://127.0.0.1:");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private static CliRun run(String... args) {
        return CliRun.of(args);
    }

    private CliRun once(Path folder, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("--server", server.baseUrl(), "--token", TestServer.TOKEN,
                "--folder", folder.toString(), "--device", folder.getFileName().toString(), "--once"));
        args.addAll(List.of(more));
        return run(args.toArray(new String[0]));
    }

    @Test
    void aFileCrossesOverHttpsBetweenTwoClientsThatPinTheCertificate() throws IOException {
        Path a = Files.createDirectories(temp.resolve("a"));
        Path b = temp.resolve("b");
        Files.writeString(a.resolve("hello.txt"), "over TLS");
        // The form `openssl x509 -noout -fingerprint -sha256` prints is accepted as well.
        String opensslForm = "SHA256:" + fingerprint.substring("SHA256:".length()).toUpperCase(Locale.ROOT)
                .replaceAll("(..)(?!$)", "$1:");

        CliRun up = once(a, "--server-fingerprint", fingerprint);
        CliRun down = once(b, "--server-fingerprint", opensslForm);

        assertThat(up.err()).isEmpty();
        assertThat(up.exitCode()).isZero();
        assertThat(down.err()).isEmpty();
        assertThat(down.exitCode()).isZero();
        assertThat(b.resolve("hello.txt")).hasContent("over TLS");
        assertThat(server.stats().acceptedCommits()).isEqualTo(1);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = new picocli.CommandLine(new ClientMain()).setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute("status", "--server", server.baseUrl(), "--token", TestServer.TOKEN, "--folder", b.toString(),
                        "--server-fingerprint", fingerprint);
        assertThat(err.toString()).isEmpty();
        assertThat(status).isZero();
        assertThat(out.toString()).contains(server.baseUrl() + " (asked just now)");
    }

    @Test
    void aPinThatDoesNotMatchIsRefusedWithAClearLineAndNothingChanges() throws Exception {
        Path a = Files.createDirectories(temp.resolve("a"));
        Files.writeString(a.resolve("on-server.txt"), "x");
        assertThat(once(a, "--server-fingerprint", fingerprint).exitCode()).isZero();
        String otherFingerprint = SelfSignedCertificate.write(temp.resolve("other"), List.of(), Instant.now()).fingerprint();
        Path b = Files.createDirectories(temp.resolve("b"));
        Files.writeString(b.resolve("local.txt"), "y");
        long commitsBefore = server.stats().commitRequests();
        long feedRequestsBefore = server.stats().changeRequests();

        CliRun refused = once(b, "--server-fingerprint", otherFingerprint);

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).hasLineCount(1)
                .contains("the server's certificate " + fingerprint + " does not match --server-fingerprint "
                        + otherFingerprint + "; if the server's certificate was renewed");
        assertThat(server.stats().commitRequests()).isEqualTo(commitsBefore);
        assertThat(server.stats().changeRequests()).as("no request got past the handshake").isEqualTo(feedRequestsBefore);
        assertThat(TestClient.treeOf(b)).containsOnlyKeys("local.txt");
        CliRun status = run("status", "--server", server.baseUrl(), "--token", TestServer.TOKEN, "--folder", a.toString(),
                "--server-fingerprint", otherFingerprint);
        assertThat(status.exitCode()).isEqualTo(1);
        assertThat(status.err()).contains("does not match --server-fingerprint").hasLineCount(1);
    }

    @Test
    void aSelfSignedCertificateWithoutAPinIsRefusedWithTheFingerprintToCheck() throws IOException {
        Path b = Files.createDirectories(temp.resolve("b"));
        Files.writeString(b.resolve("local.txt"), "y");

        CliRun refused = once(b);

        assertThat(refused.exitCode()).isEqualTo(1);
        assertThat(refused.err()).hasLineCount(1)
                .contains("does not trust")
                .contains("printed at start-up")
                .contains("--server-fingerprint " + fingerprint);
        assertThat(server.stats().changeRequests()).isZero();
        assertThat(TestClient.treeOf(b)).containsOnlyKeys("local.txt");
    }

    /** A pinned certificate is trusted whatever names it lists: here one for another host entirely. */
    @Test
    void aPinnedCertificateNeedNotNameTheHostTheClientUses() throws Exception {
        server.close();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(256);
        KeyPair keys = generator.generateKeyPair();
        Instant now = Instant.now();
        X500Name name = new X500Name("CN=elsewhere.example");
        X509Certificate certificate = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(
                name, BigInteger.ONE, Date.from(now.minusSeconds(3600)), Date.from(now.plusSeconds(86_400)), name,
                keys.getPublic())
                .addExtension(Extension.subjectAlternativeName, false,
                        new GeneralNames(new GeneralName(GeneralName.dNSName, "elsewhere.example")))
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate())));
        Path cert = Files.writeString(temp.resolve("elsewhere-cert.pem"), pem(certificate));
        Path key = Files.writeString(temp.resolve("elsewhere-key.pem"), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
        TlsIdentity tls = TlsIdentity.load(cert, key);
        server = SyncServer.start(ServerConfig.localhost(temp.resolve("server2"), TestServer.TOKEN).withTls(tls));
        Path a = Files.createDirectories(temp.resolve("a"));
        Files.writeString(a.resolve("x.txt"), "x");

        // By name, so the client sends it in the handshake (SNI) and the server sees a name its certificate lacks.
        CliRun pinned = run("--server", server.baseUrl().replace("127.0.0.1", "localhost"), "--token", TestServer.TOKEN,
                "--folder", a.toString(), "--once", "--server-fingerprint", tls.fingerprint());

        assertThat(pinned.err()).isEmpty();
        assertThat(pinned.exitCode()).isZero();
        assertThat(server.stats().acceptedCommits()).isEqualTo(1);
    }

    private static String pem(Object item) throws IOException {
        StringWriter text = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
            writer.writeObject(item);
        }
        return text.toString();
    }

    @Test
    void aFingerprintNeedsHttpsAndTheRightForm() {
        Path folder = temp.resolve("f");
        CliRun http = run("--server", "http://127.0.0.1:1", "--token", "t", "--folder", folder.toString(), "--once",
                "--server-fingerprint", fingerprint);
        CliRun malformed = once(folder, "--server-fingerprint", "SHA256:abc");

        assertThat(http.exitCode()).isEqualTo(2);
        assertThat(http.err()).contains("--server-fingerprint needs an https:// --server URL");
        assertThat(malformed.exitCode()).isEqualTo(2);
        assertThat(malformed.err()).containsPattern(Pattern.compile("--server-fingerprint: 'SHA256:abc' is not a "
                + "certificate fingerprint"));
        assertThat(folder).doesNotExist();
    }
}
