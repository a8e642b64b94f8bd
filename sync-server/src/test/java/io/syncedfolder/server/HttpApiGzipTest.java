package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.ChangesResponse;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.JsonBodies;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;

/** Large JSON bodies travel gzipped both ways when the other side says it reads gzip; nothing else does. */
class HttpApiGzipTest extends ServerTest {

    /** A commit of {@code count} new folders: about 100 bytes of JSON each. */
    private static byte[] commitOf(int count) throws IOException {
        List<Change> changes = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            changes.add(Change.directory("folder-" + i, 0, 1_600_000_000_000L));
        }
        return Json.mapper().writeValueAsBytes(new CommitRequest("laptop", changes));
    }

    private Http.Response post(String path, Map<String, String> headers, byte[] body) throws Exception {
        return http.send("POST", path, headers, HttpRequest.BodyPublishers.ofByteArray(body));
    }

    private static byte[] gunzip(byte[] body) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
            return in.readAllBytes();
        }
    }

    @Test
    void aGzippedCommitIsAppliedAndItsLargeAnswerComesGzippedToAClientThatAcceptsIt() throws Exception {
        byte[] commit = commitOf(500);

        Http.Response response = post("/api/v1/commit", Map.of("Content-Encoding", "gzip",
                "Accept-Encoding", "deflate, gzip"), JsonBodies.gzip(commit));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(new String(gunzip(response.body()), StandardCharsets.UTF_8)).contains("\"folder-499\"");
        assertThat(response.body().length).isLessThan(commit.length / 2);
    }

    @Test
    void theFeedIsGzippedOnlyWhenLargeAndAccepted() throws Exception {
        assertThat(post("/api/v1/commit", Map.of(), commitOf(500)).status()).isEqualTo(200);

        Http.Response plain = http.get("/api/v1/changes?since=0");
        Http.Response zipped = http.send("GET", "/api/v1/changes?since=0", Map.of("Accept-Encoding", "gzip"),
                HttpRequest.BodyPublishers.noBody());
        Http.Response refused = http.send("GET", "/api/v1/changes?since=0", Map.of("Accept-Encoding", "gzip;q=0"),
                HttpRequest.BodyPublishers.noBody());
        Http.Response small = http.send("GET", "/api/v1/changes?since=500", Map.of("Accept-Encoding", "gzip"),
                HttpRequest.BodyPublishers.noBody());

        assertThat(plain.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(plain.json(ChangesResponse.class).entries()).hasSize(500);
        assertThat(zipped.headers().firstValue("Content-Encoding")).hasValue("gzip");
        assertThat(gunzip(zipped.body())).isEqualTo(plain.body());
        assertThat(refused.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(small.headers().firstValue("Content-Encoding")).isEmpty();
        assertThat(small.json(ChangesResponse.class).entries()).isEmpty();
    }

    @Test
    void aBodyThatIsNotTheGzipItClaimsIs400AndChangesNothing() throws Exception {
        Http.Response response = post("/api/v1/commit", Map.of("Content-Encoding", "gzip"), commitOf(3));

        assertThat(response.status()).isEqualTo(400);
        ErrorBody error = response.json(ErrorBody.class);
        assertThat(error.error()).isEqualTo("malformed json");
        assertThat(error.detail()).startsWith("the body is not valid gzip");
        assertThat(http.get("/api/v1/changes?since=0").json(ChangesResponse.class).entries()).isEmpty();
    }

    @Test
    void thousandsOfGzipMembersOrBytesAfterTheDataAre400NotACrash() throws Exception {
        ByteArrayOutputStream chained = new ByteArrayOutputStream();
        chained.writeBytes(JsonBodies.gzip(commitOf(3)));
        byte[] empty = JsonBodies.gzip(new byte[0]);
        for (int i = 0; i < 10_000; i++) {
            chained.writeBytes(empty);
        }
        byte[] trailing = Arrays.copyOf(JsonBodies.gzip(commitOf(3)), JsonBodies.gzip(commitOf(3)).length + 600);
        byte[] corrupt = JsonBodies.gzip(commitOf(3));
        corrupt[corrupt.length - 6] ^= 1; // the CRC in the trailer

        for (byte[] body : List.of(chained.toByteArray(), trailing, corrupt)) {
            Http.Response response = post("/api/v1/commit", Map.of("Content-Encoding", "gzip"), body);
            assertThat(response.status()).as(response.toString()).isEqualTo(400);
            assertThat(response.json(ErrorBody.class).detail()).startsWith("the body is not valid gzip");
        }
        assertThat(http.get("/api/v1/changes?since=0").json(ChangesResponse.class).entries()).isEmpty();
    }

    /**
     * Members that each end where the JDK's reader still holds more than 26 bytes of its 512-byte buffer: it then
     * reads the next member from that buffer, by calling itself, whatever the stream underneath says is left.
     * 20,000 of them (10 MB) were accepted as one body (200) before the reader's buffer was cut to 26 bytes.
     */
    @Test
    void aChainOfMembersAlignedToTheReadersBufferIs400NotACrash() throws Exception {
        byte[] json = commitOf(3);
        // The reader's buffer starts after the first header (10 bytes); the first member ends 100 bytes into one.
        int padding = Math.floorMod(100 - (json.length + 5), 512);
        ByteArrayOutputStream chained = new ByteArrayOutputStream();
        chained.writeBytes(storedMember((new String(json, StandardCharsets.UTF_8) + " ".repeat(padding))
                .getBytes(StandardCharsets.UTF_8)));
        byte[] spaces = storedMember(" ".repeat(512 - 23).getBytes(StandardCharsets.UTF_8)); // 512 bytes in all
        for (int i = 0; i < 20_000; i++) {
            chained.writeBytes(spaces);
        }

        Http.Response response = post("/api/v1/commit", Map.of("Content-Encoding", "gzip"), chained.toByteArray());

        assertThat(response.status()).as(response.toString()).isEqualTo(400);
        assertThat(response.json(ErrorBody.class).detail()).startsWith("the body is not valid gzip");
        assertThat(http.get("/api/v1/changes?since=0").json(ChangesResponse.class).entries()).isEmpty();
    }

    /** One gzip member holding {@code content} in a single stored (uncompressed) deflate block: 23 bytes more. */
    private static byte[] storedMember(byte[] content) {
        CRC32 crc = new CRC32();
        crc.update(content);
        return ByteBuffer.allocate(23 + content.length).order(ByteOrder.LITTLE_ENDIAN)
                .put(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff})
                .put((byte) 1).putShort((short) content.length).putShort((short) ~content.length).put(content)
                .putInt((int) crc.getValue()).putInt(content.length)
                .array();
    }

    @Test
    void answersSayTheServerReadsGzipAndThatTheyVaryWithAcceptEncoding() throws Exception {
        Http.Response changes = http.get("/api/v1/changes?since=0");

        assertThat(changes.headers().firstValue("Accept-Encoding")).hasValue("gzip");
        assertThat(changes.headers().firstValue("Vary")).hasValue("Accept-Encoding");
    }

    @Test
    void anotherContentEncodingIs415AndChangesNothing() throws Exception {
        Http.Response response = post("/api/v1/commit", Map.of("Content-Encoding", "br"), commitOf(3));

        assertThat(response.status()).isEqualTo(415);
        assertThat(response.json(ErrorBody.class).detail()).contains("Content-Encoding: gzip", "\"br\"");
        assertThat(http.get("/api/v1/changes?since=0").json(ChangesResponse.class).entries()).isEmpty();
    }

    @Test
    void acceptEncodingIsReadAsTheStandardSays() {
        assertThat(JsonBodies.acceptsGzip("gzip")).isTrue();
        assertThat(JsonBodies.acceptsGzip("deflate, GZIP;q=0.5")).isTrue();
        assertThat(JsonBodies.acceptsGzip("gzip;q=0")).isFalse();
        assertThat(JsonBodies.acceptsGzip("gzip; q=0.000")).isFalse();
        assertThat(JsonBodies.acceptsGzip("x-gzip, br")).isFalse();
        assertThat(JsonBodies.acceptsGzip(null)).isFalse();
    }
}
