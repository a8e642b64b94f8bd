package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.BlockSignature;
import io.syncedfolder.common.protocol.DeltaFormat;
import io.syncedfolder.common.protocol.DeltaReader;
import io.syncedfolder.common.protocol.DeltaRequest;
import io.syncedfolder.common.protocol.DeltaWriter;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.PackFormat;
import io.syncedfolder.server.blob.BlobStoreProbe;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Deltas both ways: {@code POST /blobs/delta} sends a stored chunk as a delta against another, {@code GET
 * /blobs/{sha256}/signature} and a {@code PUT /blobs/{sha256}} of a delta store a new chunk sent against a
 * stored one; and every way to ask for either wrongly.
 */
class HttpApiDeltaTest extends ServerTest {
    private static final String DELTA = "/api/v1/blobs/delta";
    private static final byte[] BASE = TestBytes.random(1024 * 1024 + 17, 1);
    private static final byte[] EDITED = TestBytes.withInsertion(BASE, 500_000,
            "ten bytes!".getBytes(StandardCharsets.UTF_8));
    private static final byte[] NEW = TestBytes.withInsertion(BASE, 700_000,
            "an upload's edit".getBytes(StandardCharsets.UTF_8));

    @BeforeEach
    void storeBaseAndEdited() throws Exception {
        Http.Response stored = http.post("/api/v1/blobs/pack", PackFormat.MEDIA_TYPE,
                HttpRequest.BodyPublishers.ofByteArray(Packs.of(List.of(BASE, EDITED))));
        assertThat(stored.status()).as(stored.toString()).isEqualTo(200);
    }

    private static String sha(byte[] content) {
        return Hashing.sha256Hex(content);
    }

    private Http.Response delta(String chunk, String base) throws Exception {
        return http.postJson(DELTA, new DeltaRequest(chunk, base));
    }

    private static ErrorBody assertError(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        ErrorBody body = response.json(ErrorBody.class);
        assertThat(body.error()).isEqualTo(error);
        return body;
    }

    @Test
    void anEditedChunkComesAsAFewBytesThatRebuildItFromItsBase() throws Exception {
        Http.Response response = delta(sha(EDITED), sha(BASE));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(DeltaFormat.MEDIA_TYPE);
        assertThat(response.body()).hasSizeLessThan(100);
        assertThat(DeltaReader.rebuild(BASE, new ByteArrayInputStream(response.body()), EDITED.length))
                .isEqualTo(EDITED);
        ServerStats stats = server.stats();
        assertThat(stats.deltaFetches()).isEqualTo(1);
        assertThat(stats.deltaBytesSent()).isEqualTo(response.body().length);
        assertThat(stats.chunkBytesSent()).isZero();
    }

    @Test
    void aChunkOrBaseNotStoredIs404NamingItInTheWordsOfAFetch() throws Exception {
        String absent = sha("never uploaded".getBytes(StandardCharsets.UTF_8));

        assertThat(assertError(delta(absent, sha(BASE)), 404, "not found").detail())
                .isEqualTo("1 chunk is (" + absent + ") not stored; nothing was sent");
        assertThat(assertError(delta(sha(EDITED), absent), 404, "not found").detail())
                .isEqualTo("1 chunk is (" + absent + ") not stored; nothing was sent");
        String other = sha("also never uploaded".getBytes(StandardCharsets.UTF_8));
        assertThat(assertError(delta(absent, other), 404, "not found").detail())
                .isEqualTo("2 chunks are (" + absent + ", " + other + ") not stored; nothing was sent");
        assertThat(server.stats().deltaFetches()).isZero();
    }

    @Test
    void aMalformedOrMissingHashIs400() throws Exception {
        assertError(delta(sha(EDITED), "ABC"), 400, "bad hash");
        assertError(delta(sha(EDITED).toUpperCase(Locale.ROOT), sha(BASE)), 400, "bad hash");
        assertError(http.post(DELTA, "{\"chunk\":\"" + sha(EDITED) + "\"}"), 400, "bad hash");
        assertError(http.post(DELTA, "{\"chunk\":"), 400, "malformed json");
        assertThat(server.stats().deltaFetches()).isZero();
    }

    @Test
    void aChunkLargerThanADeltaMayBeIs400AndSaysToFetchItWhole() throws Exception {
        byte[] large = TestBytes.random(DeltaFormat.MAX_CHUNK_BYTES + 1, 2);
        assertThat(http.put("/api/v1/blobs/" + sha(large), large).status()).isEqualTo(201);

        ErrorBody error = assertError(delta(sha(large), sha(BASE)), 400, "bad request");

        assertThat(error.detail()).contains(sha(large), "transfer it whole");
        assertError(delta(sha(BASE), sha(large)), 400, "bad request");
    }

    @Test
    void aChunkAgainstItselfIsOneCopy() throws Exception {
        Http.Response response = delta(sha(BASE), sha(BASE));

        assertThat(response.body()).hasSize(9);
        assertThat(DeltaReader.rebuild(BASE, new ByteArrayInputStream(response.body()), BASE.length)).isEqualTo(BASE);
    }

    @Test
    void deltasAskedForAtOnceAllComeBackWhole() throws Exception {
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 6; i++) {
            Thread thread = new Thread(() -> {
                try {
                    Http.Response response = delta(sha(EDITED), sha(BASE));
                    assertThat(DeltaReader.rebuild(BASE, new ByteArrayInputStream(response.body()), EDITED.length))
                            .isEqualTo(EDITED);
                } catch (Throwable e) {
                    failures.add(e);
                }
            });
            threads.add(thread);
            thread.start();
        }
        for (Thread thread : threads) {
            thread.join(60_000);
        }
        assertThat(failures).isEmpty();
        assertThat(server.stats().deltaFetches()).isEqualTo(6);
    }

    private BlockSignature signature(String sha) throws Exception {
        Http.Response response = http.get("/api/v1/blobs/" + sha + "/signature");
        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue(BlockSignature.MEDIA_TYPE);
        return BlockSignature.read(new ByteArrayInputStream(response.body()), BASE.length);
    }

    private static byte[] deltaBySignature(BlockSignature signature, byte[] chunk) throws IOException {
        ByteArrayOutputStream delta = new ByteArrayOutputStream();
        DeltaWriter.write(signature, chunk, delta);
        return delta.toByteArray();
    }

    private Http.Response putDelta(String sha, String query, byte[] delta) throws Exception {
        return http.put("/api/v1/blobs/" + sha + "?" + query, DeltaFormat.MEDIA_TYPE,
                HttpRequest.BodyPublishers.ofByteArray(delta));
    }

    @Test
    void aNewChunkSentAsADeltaAgainstItsSignatureIsStoredAsItself() throws Exception {
        BlockSignature signature = signature(sha(BASE));
        assertThat(signature.length()).isEqualTo(4 + (BASE.length / 1024) * 12L);
        byte[] delta = deltaBySignature(signature, NEW);
        assertThat(delta.length).isLessThan(2100);
        long receivedBefore = server.stats().chunkBytesReceived();

        Http.Response first = putDelta(sha(NEW), "base=" + sha(BASE) + "&size=" + NEW.length, delta);
        Http.Response again = putDelta(sha(NEW), "base=" + sha(BASE) + "&size=" + NEW.length, delta);

        assertThat(first.status()).as(first.toString()).isEqualTo(201);
        assertThat(again.status()).as(again.toString()).isEqualTo(200);
        assertThat(http.get("/api/v1/blobs/" + sha(NEW)).body()).isEqualTo(NEW);
        ServerStats stats = server.stats();
        assertThat(stats.deltaUploads()).isEqualTo(2);
        assertThat(stats.deltaBytesReceived()).isEqualTo(2L * delta.length);
        assertThat(stats.chunkBytesReceived()).isEqualTo(receivedBefore);
    }

    @Test
    void aDeltaThatDoesNotRebuildTheChunkStoresNothing() throws Exception {
        byte[] wrong = deltaBySignature(signature(sha(BASE)), EDITED);

        ErrorBody mismatch = assertError(putDelta(sha(NEW), "base=" + sha(BASE) + "&size=" + EDITED.length, wrong),
                400, "hash mismatch");
        ErrorBody malformed = assertError(putDelta(sha(NEW), "base=" + sha(BASE) + "&size=" + NEW.length,
                "garbage".getBytes(StandardCharsets.UTF_8)), 400, "bad delta");

        assertThat(mismatch.detail()).endsWith("nothing was stored");
        assertThat(malformed.detail()).endsWith("nothing was stored");
        assertThat(http.get("/api/v1/blobs/" + sha(NEW)).status()).isEqualTo(404);
        assertThat(BlobStoreProbe.tmpFiles(data.resolve("blobs"))).isEmpty();
        assertThat(server.stats().deltaUploads()).isZero();
    }

    @Test
    void aDeltaUploadWithAnUnknownOrMalformedBaseOrSizeIsRefused() throws Exception {
        byte[] delta = deltaBySignature(signature(sha(BASE)), NEW);
        String absent = sha("never uploaded".getBytes(StandardCharsets.UTF_8));

        assertThat(assertError(putDelta(sha(NEW), "base=" + absent + "&size=" + NEW.length, delta), 404, "not found")
                .detail()).isEqualTo("1 chunk is (" + absent + ") not stored; send the chunk whole");
        assertError(putDelta(sha(NEW), "size=" + NEW.length, delta), 400, "bad hash");
        assertError(putDelta(sha(NEW), "base=xyz&size=" + NEW.length, delta), 400, "bad hash");
        for (String size : List.of("", "size=", "size=-1", "size=abc", "size=" + (DeltaFormat.MAX_CHUNK_BYTES + 1))) {
            assertThat(assertError(putDelta(sha(NEW), "base=" + sha(BASE) + "&" + size, delta), 400, "bad request")
                    .detail()).startsWith("size must be the chunk's length");
        }
        assertError(putDelta("ABC", "base=" + sha(BASE) + "&size=" + NEW.length, delta), 400, "bad hash");
        assertThat(http.get("/api/v1/blobs/" + sha(NEW)).status()).isEqualTo(404);
    }

    /** A delta that copies its chunk one byte at a time: well formed, nine times the chunk's length. */
    @Test
    void aDeltaLongerThanTwiceItsChunkIs413AndStoresNothing() throws Exception {
        int size = 1000;
        ByteBuffer oneByteCopies = ByteBuffer.allocate(9 * size);
        for (int at = 0; at < size; at++) {
            oneByteCopies.put(DeltaFormat.COPY).putInt(at).putInt(1);
        }
        String sha = sha(Arrays.copyOf(BASE, size));

        Http.Response response = putDelta(sha, "base=" + sha(BASE) + "&size=" + size, oneByteCopies.array());

        assertThat(assertError(response, 413, "too large").detail())
                .isEqualTo("a delta of a chunk of 1000 bytes may have at most 3024 bytes; send the chunk whole");
        assertThat(http.get("/api/v1/blobs/" + sha).status()).isEqualTo(404);
        assertThat(BlobStoreProbe.tmpFiles(data.resolve("blobs"))).isEmpty();
    }

    /**
     * Sends the head of a delta upload of {@code NEW} announcing {@code contentLength} bytes, then {@code body}, then
     * half-closes if {@code hangUp}, else waits; returns the answer.
     */
    private RawHttp.Answer rawDelta(long contentLength, byte[] body, boolean hangUp) throws Exception {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("PUT /api/v1/blobs/" + sha(NEW) + "?base=" + sha(BASE) + "&size=" + NEW.length
                    + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN + "\r\nContent-Type: "
                    + DeltaFormat.MEDIA_TYPE + "\r\nContent-Length: " + contentLength + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.write(body);
            out.flush();
            if (hangUp) {
                socket.shutdownOutput();
            }
            return RawHttp.read(socket.getInputStream());
        }
    }

    /**
     * An uploaded delta is rebuilt as it arrives, not read whole first: a malformed first record is refused while
     * the sender has not sent the rest of the megabyte it announced.
     */
    @Test
    void aDeltaIsRefusedAtItsFirstBadRecordBeforeTheRestArrives() throws Exception {
        RawHttp.Answer answer = rawDelta(1024 * 1024, "X".getBytes(StandardCharsets.UTF_8), false);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.body()).contains("bad delta").contains("unknown record tag 88");
        assertThat(BlobStoreProbe.tmpFiles(data.resolve("blobs"))).isEmpty();
    }

    /** A sender that goes away inside a record broke its upload; its delta is not malformed. */
    @Test
    void aDeltaCutShortByTheSenderIsAnIncompleteUploadNotABadDelta() throws Exception {
        RawHttp.Answer answer = rawDelta(9, new byte[] {DeltaFormat.COPY, 0, 0}, true);

        assertThat(answer.status()).as(answer.toString()).isEqualTo(400);
        assertThat(answer.body()).contains("incomplete upload").contains("after 3 bytes");
        assertThat(http.get("/api/v1/blobs/" + sha(NEW)).status()).isEqualTo(404);
        assertThat(BlobStoreProbe.tmpFiles(data.resolve("blobs"))).isEmpty();
    }

    @Test
    void theSignatureOfAChunkNotStoredIs404AndOfATooLargeOne400() throws Exception {
        String absent = sha("never uploaded".getBytes(StandardCharsets.UTF_8));
        assertThat(assertError(http.get("/api/v1/blobs/" + absent + "/signature"), 404, "not found").detail())
                .isEqualTo("1 chunk is (" + absent + ") not stored; nothing was sent");
        assertError(http.get("/api/v1/blobs/nothex/signature"), 400, "bad hash");
        byte[] large = TestBytes.random(DeltaFormat.MAX_CHUNK_BYTES + 1, 3);
        assertThat(http.put("/api/v1/blobs/" + sha(large), large).status()).isEqualTo(201);
        assertError(http.get("/api/v1/blobs/" + sha(large) + "/signature"), 400, "bad request");
    }
}
