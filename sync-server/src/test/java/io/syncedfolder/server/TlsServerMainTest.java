package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import io.syncedfolder.server.tls.TlsIdentity;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** HTTPS on the server's command line: {@code cert generate}, {@code --tls-cert}/{@code --tls-key}, and warnings. */
class TlsServerMainTest {
    private static final Pattern FINGERPRINT = Pattern.compile("certificate fingerprint (SHA256:[0-9a-f]{64})");

    @TempDir
    Path tmp;

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> new CommandLine(new ServerMain())
                .setOut(new PrintWriter(out, true))
                .setErr(new PrintWriter(err, true))
                .execute(args));
        return new Result(code, out.toString(), err.toString());
    }

    private record Result(int code, String out, String err) {
        String fingerprint() {
            Matcher matcher = FINGERPRINT.matcher(out);
            assertThat(matcher.find()).as("a fingerprint line in %s", out).isTrue();
            return matcher.group(1);
        }
    }

    @Test
    void certGenerateWritesAPairTheServerServesWithTheSameFingerprint() throws Exception {
        Path dir = tmp.resolve("tls");
        Result generated = run("cert", "generate", "--out", dir.toString(), "--host", "sync.example.org");

        assertThat(generated.code()).as(generated.err()).isZero();
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.readString(cert)).startsWith("-----BEGIN CERTIFICATE-----");
        assertThat(Files.readString(key)).startsWith("-----BEGIN PRIVATE KEY-----");
        String fingerprint = generated.fingerprint();
        assertThat(generated.out())
                .contains("--tls-cert " + cert.toAbsolutePath() + " --tls-key " + key.toAbsolutePath())
                .contains("--server https://sync.example.org:8080 --server-fingerprint " + fingerprint);
        TlsIdentity identity = TlsIdentity.load(cert, key);
        assertThat(identity.fingerprint()).isEqualTo(fingerprint);
        X509Certificate certificate = identity.certificate();
        assertThat(certificate.getSubjectAlternativeNames().stream().map(name -> (Object) name.get(1)))
                .containsExactlyInAnyOrder("localhost", "127.0.0.1", "sync.example.org");
        assertThat(Duration.between(certificate.getNotBefore().toInstant(), certificate.getNotAfter().toInstant()))
                .isBetween(Duration.ofDays(729), Duration.ofDays(732));

        Path log = tmp.resolve("stderr.txt");
        Process server = ServerProcess.launch(log, "t", "--port", "0", "--data", tmp.resolve("d").toString(),
                "--tls-cert", cert.toString(), "--tls-key", key.toString());
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
            String listening = out.readLine();
            assertThat(listening).as(() -> readQuietly(log)).matches("listening on https://127\\.0\\.0\\.1:\\d+");
            assertThat(out.readLine()).isEqualTo("certificate fingerprint " + fingerprint);

            // A real handshake: a client that trusts only this certificate (and checks the name) gets an answer.
            HttpClient https = HttpClient.newBuilder().sslContext(trusting(certificate)).build();
            HttpResponse<String> health = https.send(HttpRequest.newBuilder(
                            URI.create(listening.substring("listening on ".length()) + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(readQuietly(log)).doesNotContain("warning");
        } finally {
            server.destroy();
            assertThat(server.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void certGenerateNeverOverwritesAPair() throws IOException {
        Path dir = tmp.resolve("tls");
        assertThat(run("cert", "generate", "--out", dir.toString()).code()).isZero();
        String before = Files.readString(dir.resolve("key.pem"));

        Result again = run("cert", "generate", "--out", dir.toString());

        assertThat(again.code()).isEqualTo(1);
        assertThat(again.err()).contains("cert.pem").contains("already there").hasLineCount(1);
        assertThat(dir.resolve("key.pem")).hasContent(before);
    }

    @Test
    void unusableTlsFilesExit2WithTheReasonAndStartNothing() throws IOException {
        Path good = tmp.resolve("good");
        Path other = tmp.resolve("other");
        assertThat(run("cert", "generate", "--out", good.toString()).code()).isZero();
        assertThat(run("cert", "generate", "--out", other.toString()).code()).isZero();
        Path garbage = Files.writeString(tmp.resolve("garbage.pem"), "this is not PEM\n");
        Path broken = Files.writeString(tmp.resolve("broken.pem"),
                "-----BEGIN CERTIFICATE-----\nnot base64 at all!\n-----END CERTIFICATE-----\n");
        String cert = good.resolve("cert.pem").toString();
        String key = good.resolve("key.pem").toString();
        Path data = tmp.resolve("d");

        record Case(List<String> args, String says) {
        }
        for (Case c : List.of(
                new Case(List.of("--tls-cert", garbage.toString(), "--tls-key", key), "holds no certificate"),
                new Case(List.of("--tls-cert", broken.toString(), "--tls-key", key), "not a readable PEM file"),
                new Case(List.of("--tls-cert", cert, "--tls-key", garbage.toString()), "holds no private key"),
                new Case(List.of("--tls-cert", cert, "--tls-key", tmp.resolve("missing.pem").toString()), "no such file"),
                new Case(List.of("--tls-cert", key, "--tls-key", cert), "holds a private key"),
                new Case(List.of("--tls-cert", cert, "--tls-key", other.resolve("key.pem").toString()),
                        "does not belong to the certificate"),
                new Case(List.of("--tls-cert", cert), "go together"))) {
            List<String> args = new java.util.ArrayList<>(List.of("--token", "t", "--port", "0", "--data", data.toString()));
            args.addAll(c.args());

            Result result = run(args.toArray(new String[0]));

            assertThat(result.code()).as("%s: %s", c.args(), result.err()).isEqualTo(2);
            assertThat(result.err()).contains(c.says()).hasLineCount(1);
            assertThat(result.out()).isEmpty();
            assertThat(data).doesNotExist();
        }
    }

    @Test
    void plainHttpOnANonLoopbackAddressWarnsThatTokensTravelInClearText() {
        // 192.0.2.1 is reserved for documentation: nothing here owns it, so the bind fails after the warning and
        // nothing listens anywhere but on loopback.
        Result result = run("--token", "t", "--port", "0", "--bind", "192.0.2.1", "--data", tmp.resolve("d").toString());

        assertThat(result.err().lines().findFirst()).hasValueSatisfying(line -> assertThat(line)
                .startsWith("sync-server: warning: serving plain HTTP on 192.0.2.1")
                .contains("clear text").contains("--tls-cert"));
        assertThat(result.code()).isEqualTo(1);
    }

    private static SSLContext trusting(X509Certificate certificate) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("server", certificate);
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private static String readQuietly(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
