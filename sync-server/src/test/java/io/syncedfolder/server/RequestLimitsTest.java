package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.server.blob.BlobStoreProbe;
import io.syncedfolder.server.service.Limits;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The request limits of the README's table that {@link HttpApiLimitsTest} and {@link HttpApiPackTest} do not
 * cover, each answered with a 4xx and the JSON error body, on a real server.
 */
class RequestLimitsTest extends ServerTest {
    private static ErrorBody assertJsonError(RawHttp.Answer answer, int status) throws Exception {
        assertThat(answer.status()).as(answer.toString()).isEqualTo(status);
        assertThat(answer.headers()).contains("content-type: application/json");
        return Json.mapper().readValue(answer.body(), ErrorBody.class);
    }

    @Test
    void headersOverTheLimitAre431WithAJsonBody() throws Exception {
        String big = "x".repeat(HttpApi.MAX_HEADER_BYTES + 1);
        RawHttp.Answer answer = RawHttp.send(server.port(), ("GET /api/v1/changes HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                + "Authorization: Bearer " + TOKEN + "\r\nX-Big: " + big + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));

        ErrorBody error = assertJsonError(answer, 431);
        assertThat(error).isEqualTo(new ErrorBody("too large",
                "the request line and headers may have at most " + HttpApi.MAX_HEADER_BYTES + " bytes"));
    }

    @Test
    void anAddressOverTheLimitIsRefusedWithAJsonBody() throws Exception {
        RawHttp.Answer answer = RawHttp.request(server.port(), "GET",
                "/api/v1/history?path=" + "a".repeat(HttpApi.MAX_HEADER_BYTES + 1), TOKEN);

        assertThat(answer.status()).isIn(414, 431);
        assertThat(Json.mapper().readValue(answer.body(), ErrorBody.class).error()).isEqualTo("too large");
    }

    @Test
    void aPathOfTheLongestLegalLengthFitsEvenPercentEncoded() throws Exception {
        String longest = ("é".repeat(127) + "/").repeat(16); // 16 segments of 254 bytes, plus slashes
        longest = longest.substring(0, longest.length() - 1);
        assertThat(longest.getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(4096);

        Http.Response response = http.get("/api/v1/history?path="
                + java.net.URLEncoder.encode(longest, StandardCharsets.UTF_8));

        assertThat(response.status()).as(response.toString()).isEqualTo(404); // fits; the server never had it
    }

    @Test
    void aCommitOfMoreChangesThanTheLimitIs400() throws Exception {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i <= Limits.MAX_CHANGES_PER_COMMIT; i++) {
            changes.add(Change.directory("d" + i, 0, 1));
        }

        Http.Response response = http.postJson("/api/v1/commit", new CommitRequest("d", changes));

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json(ErrorBody.class).detail()).contains("at most " + Limits.MAX_CHANGES_PER_COMMIT);
        assertThat(http.get("/api/v1/changes").text()).contains("\"entries\":[]");
    }

    @Test
    void deeplyNestedJsonIs400NotAStackOverflow() throws Exception {
        String deep = "{\"device\":\"d\",\"changes\":" + "[".repeat(100_000) + "]".repeat(100_000) + "}";

        Http.Response response = http.post("/api/v1/commit", deep);

        assertThat(response.status()).isEqualTo(400);
        assertThat(response.json(ErrorBody.class).error()).isEqualTo("malformed json");
        assertThat(http.get("/health").status()).isEqualTo(200);
    }

    @Test
    void aJsonBodyTrickledSlowerThanTheMinimumRateIs408() throws Exception {
        RawHttp.Answer answer = trickle("POST /api/v1/commit", "application/json", ' ');

        assertThat(assertJsonError(answer, 408).error()).isEqualTo("too slow");
        assertThat(server.stats().acceptedCommits()).isZero();
    }

    @Test
    void aBlobTrickledSlowerThanTheMinimumRateIs408AndNothingIsStored() throws Exception {
        // The hash of the whole announced body, so only the cut-off keeps it from being stored.
        String hash = Hashing.sha256Hex("x".repeat(100_000).getBytes(StandardCharsets.US_ASCII));
        RawHttp.Answer answer = trickle("PUT /api/v1/blobs/" + hash, "application/octet-stream", 'x');

        assertThat(assertJsonError(answer, 408).error()).isEqualTo("too slow");
        assertThat(http.get("/api/v1/blobs/" + hash).status()).isEqualTo(404);
        assertThat(server.stats().blobUploads()).isZero();
        assertThat(BlobStoreProbe.tmpFiles(data.resolve("blobs"))).isEmpty(); // nothing partial left behind
    }

    /**
     * Announces a 100,000-byte body after {@code requestLine} and sends it one byte every 100 ms (10 bytes a
     * second) until the server answers; returns the answer, which must come within 10 s.
     */
    private RawHttp.Answer trickle(String requestLine, String contentType, char filler) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            out.write((requestLine + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: " + contentType + "\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            long started = System.nanoTime();
            try {
                for (int i = 0; i < 100 && socket.getInputStream().available() == 0; i++) {
                    out.write(filler);
                    out.flush();
                    Thread.sleep(100);
                }
            } catch (java.io.IOException closed) {
                // the server closed the connection: read what it answered
            }
            RawHttp.Answer answer = RawHttp.read(socket.getInputStream());
            assertThat((System.nanoTime() - started) / 1_000_000_000).isLessThan(10);
            return answer;
        }
    }
}
