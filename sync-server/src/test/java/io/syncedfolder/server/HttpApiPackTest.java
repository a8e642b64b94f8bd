package io.syncedfolder.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.Hashing;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.FetchRequest;
import io.syncedfolder.common.protocol.PackFormat;
import io.syncedfolder.common.protocol.PackReader;
import io.syncedfolder.common.protocol.PackUploadResponse;
import io.syncedfolder.server.blob.BlobStoreProbe;
import io.syncedfolder.server.service.Limits;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@code POST /blobs/pack} and {@code POST /blobs/fetch}: many chunks per request, each verified, nothing partial. */
class HttpApiPackTest extends ServerTest {
    private static final String PACK = "/api/v1/blobs/pack";
    private static final String FETCH = "/api/v1/blobs/fetch";

    private static final byte[] A = "alpha".getBytes(StandardCharsets.UTF_8);
    private static final byte[] B = TestBytes.random(100 * 1024 + 3, 1);
    private static final byte[] C = TestBytes.random(1024 * 1024 + 17, 2);
    private static final byte[] EMPTY = new byte[0];

    private static String sha(byte[] content) {
        return Hashing.sha256Hex(content);
    }

    /** Returns a well-formed pack of {@code chunks}, each under its own hash. */
    private static byte[] pack(byte[]... chunks) {
        return Packs.of(List.of(chunks));
    }

    /** Returns one record as written, whatever its parts: a header claiming {@code size}, then {@code content}. */
    private static byte[] record(String hash, long size, byte[] content) {
        byte[] name = hash.getBytes(StandardCharsets.US_ASCII);
        return ByteBuffer.allocate(name.length + Long.BYTES + content.length)
                .put(name).putLong(size).put(content).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }

    private Http.Response upload(byte[] pack) throws Exception {
        return http.post(PACK, PackFormat.MEDIA_TYPE, HttpRequest.BodyPublishers.ofByteArray(pack));
    }

    private Http.Response fetch(List<String> hashes) throws Exception {
        return http.postJson(FETCH, new FetchRequest(hashes));
    }

    /** Returns what the server's blob store holds under {@code content}'s hash, if anything. */
    private Optional<byte[]> stored(byte[] content) throws IOException {
        return BlobStoreProbe.content(server.blobs(), sha(content));
    }

    private List<Path> tmpFiles() throws IOException {
        return BlobStoreProbe.tmpFiles(data.resolve("blobs"));
    }

    private long storedBlobs() throws IOException {
        long[] count = {0};
        server.blobs().list(blob -> count[0]++);
        return count[0];
    }

    private static ErrorBody assertError(Http.Response response, int status, String error) {
        assertThat(response.status()).as(response.toString()).isEqualTo(status);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        ErrorBody body = response.json(ErrorBody.class);
        assertThat(body.error()).isEqualTo(error);
        return body;
    }

    /** Reads a fetched pack back into its chunks' contents, checking every record's hash. */
    private static List<byte[]> unpack(byte[] pack) throws IOException {
        PackReader reader = new PackReader(new ByteArrayInputStream(pack), Long.MAX_VALUE);
        List<byte[]> chunks = new ArrayList<>();
        for (Optional<ChunkRef> chunk = reader.next(); chunk.isPresent(); chunk = reader.next()) {
            byte[] content = reader.content().readAllBytes();
            assertThat(content).hasSize((int) chunk.get().size());
            assertThat(sha(content)).isEqualTo(chunk.get().sha256());
            chunks.add(content);
        }
        return chunks;
    }

    @Test
    void uploadedChunksComeBackByteIdenticalInTheOrderAskedForDuplicatesIncluded() throws Exception {
        Http.Response uploaded = upload(pack(A, B, EMPTY, C));

        assertThat(uploaded.status()).as(uploaded.toString()).isEqualTo(200);
        assertThat(uploaded.json(PackUploadResponse.class)).isEqualTo(new PackUploadResponse(4, 0));
        assertThat(stored(A)).contains(A);
        assertThat(stored(B)).contains(B);
        assertThat(stored(C)).contains(C);
        assertThat(stored(EMPTY)).contains(EMPTY);

        Http.Response fetched = fetch(List.of(sha(C), sha(A), sha(EMPTY), sha(A), sha(B)));

        assertThat(fetched.status()).as(fetched.toString()).isEqualTo(200);
        assertThat(fetched.headers().firstValue("Content-Type")).contains(PackFormat.MEDIA_TYPE);
        byte[] expected = pack(C, A, EMPTY, A, B);
        assertThat(fetched.headers().firstValueAsLong("Content-Length")).hasValue(expected.length);
        assertThat(expected.length).isEqualTo(5 * PackFormat.HEADER_BYTES + C.length + 2 * A.length + B.length);
        assertThat(fetched.body()).isEqualTo(expected);
        assertThat(unpack(fetched.body())).containsExactly(C, A, EMPTY, A, B);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void packStreamedWithoutALengthIsReadToItsEnd() throws Exception {
        byte[] pack = pack(B, C, A);

        Http.Response response = http.post(PACK, PackFormat.MEDIA_TYPE,
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(pack)));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json(PackUploadResponse.class)).isEqualTo(new PackUploadResponse(3, 0));
        assertThat(fetch(List.of(sha(A), sha(B), sha(C))).body()).isEqualTo(pack(A, B, C));
    }

    @Test
    void samePackTwiceStoresNothingNewTheSecondTime() throws Exception {
        byte[] pack = pack(A, B, C);
        assertThat(upload(pack).json(PackUploadResponse.class)).isEqualTo(new PackUploadResponse(3, 0));
        long blobs = storedBlobs();

        Http.Response again = upload(pack);

        assertThat(again.status()).isEqualTo(200);
        assertThat(again.json(PackUploadResponse.class)).isEqualTo(new PackUploadResponse(0, 3));
        assertThat(storedBlobs()).isEqualTo(blobs).isEqualTo(3);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void chunkSentTwiceInOnePackIsStoredOnce() throws Exception {
        Http.Response response = upload(pack(A, A, B));

        assertThat(response.json(PackUploadResponse.class)).isEqualTo(new PackUploadResponse(2, 1));
        assertThat(storedBlobs()).isEqualTo(2);
    }

    @Test
    void packOfOnlyTheEmptyChunkStoresIt() throws Exception {
        Http.Response response = upload(pack(EMPTY));

        assertThat(response.json(PackUploadResponse.class)).isEqualTo(new PackUploadResponse(1, 0));
        assertThat(sha(EMPTY)).isEqualTo(Hashing.EMPTY_SHA256);
        Http.Response fetched = fetch(List.of(Hashing.EMPTY_SHA256));
        assertThat(fetched.headers().firstValueAsLong("Content-Length")).hasValue(PackFormat.HEADER_BYTES);
        assertThat(fetched.body()).isEqualTo(record(Hashing.EMPTY_SHA256, 0, EMPTY));
    }

    @Test
    void emptyPackStoresNothingAndEmptyFetchSendsNothing() throws Exception {
        assertThat(upload(EMPTY).json(PackUploadResponse.class)).isEqualTo(new PackUploadResponse(0, 0));

        Http.Response fetched = fetch(List.of());

        assertThat(fetched.status()).isEqualTo(200);
        assertThat(fetched.headers().firstValueAsLong("Content-Length")).hasValue(0);
        assertThat(fetched.body()).isEmpty();
        assertThat(storedBlobs()).isZero();
    }

    @Test
    void chunkWhoseBytesDoNotMatchItsHashIsRefusedAndOnlyTheChunksBeforeItAreKept() throws Exception {
        byte[] forged = record(sha(B), A.length, A);
        byte[] pack = concat(pack(A, C), forged, pack(B, EMPTY));

        Http.Response response = upload(pack);

        ErrorBody error = assertError(response, 400, "hash mismatch");
        assertThat(error.detail()).contains("records[2]", sha(B), sha(A), "the 2 records before it were kept");
        assertThat(stored(A)).contains(A);
        assertThat(stored(C)).contains(C);
        assertThat(stored(B)).isEmpty();
        assertThat(stored(EMPTY)).isEmpty();
        assertThat(storedBlobs()).isEqualTo(2);
        assertThat(tmpFiles()).isEmpty();
        assertThat(server.stats().packUploads()).isZero();
    }

    static Stream<Arguments> malformedPacks() {
        byte[] good = pack(A);
        byte[] bHeader = record(sha(B), B.length, EMPTY);
        return Stream.of(
                Arguments.of("header cut short", concat(good, Arrays.copyOf(bHeader, 40)), "inside a record header"),
                Arguments.of("one byte after the last record", concat(good, new byte[1]), "inside a record header"),
                Arguments.of("content cut short", concat(good, bHeader, Arrays.copyOf(B, B.length / 2)),
                        "is cut short"),
                Arguments.of("content missing", concat(good, bHeader), "is cut short"),
                Arguments.of("uppercase hash", concat(good,
                        record(sha(B).toUpperCase(Locale.ROOT), B.length, B)), "SHA-256"),
                Arguments.of("not a hash", concat(good, record("x".repeat(64), B.length, B)), "SHA-256"),
                Arguments.of("negative length", concat(good, record(sha(B), -1, B)), "-1 bytes"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedPacks")
    void malformedOrTruncatedPackIs400AndLeavesNothingPartial(String name, byte[] pack, String reason)
            throws Exception {
        Http.Response response = upload(pack);

        ErrorBody error = assertError(response, 400, "bad pack");
        assertThat(error.detail()).contains("records[1]", reason, "the 1 record before it were kept");
        assertThat(stored(A)).contains(A);
        assertThat(stored(B)).isEmpty();
        assertThat(storedBlobs()).isEqualTo(1);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void senderGoingAwayMidChunkLeavesTheEarlierChunksAndNothingPartial() throws Exception {
        byte[] pack = pack(A, C);
        byte[] sent = Arrays.copyOf(pack, PackFormat.HEADER_BYTES + A.length + PackFormat.HEADER_BYTES + 1000);
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            OutputStream out = socket.getOutputStream();
            out.write(("POST " + PACK + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + TOKEN
                    + "\r\nContent-Type: " + PackFormat.MEDIA_TYPE + "\r\nContent-Length: " + pack.length
                    + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(sent);
            out.flush();
            awaitTrue(() -> server.stats().chunkBytesReceived() == A.length + 1000L);
        }

        // A small chunk waits in memory, not in tmp/, until the kept records are stored.
        awaitTrue(() -> stored(A).isPresent() && tmpFiles().isEmpty());
        assertThat(stored(A)).contains(A);
        assertThat(stored(C)).isEmpty();
        assertThat(server.stats().packUploads()).isZero();
    }

    /** A condition checked until it holds, for what the server finishes on its own threads. */
    private interface Condition {
        boolean holds() throws IOException;
    }

    private static void awaitTrue(Condition condition) throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(10));
        while (!condition.holds()) {
            assertThat(Instant.now()).as("waited too long").isBefore(deadline);
            Thread.sleep(20);
        }
    }

    @Test
    void recordLongerThanTheLimitIs413BeforeItsContentIsRead() throws Exception {
        long tooLong = Limits.MAX_PACKED_CHUNK_BYTES + 1;

        Http.Response response = upload(record(sha(B), tooLong, B));

        ErrorBody error = assertError(response, 413, "too large");
        assertThat(error.detail()).contains("records[0]", sha(B), Long.toString(tooLong),
                Long.toString(Limits.MAX_PACKED_CHUNK_BYTES), "nothing was stored");
        assertThat(storedBlobs()).isZero();
        assertThat(tmpFiles()).isEmpty();
        assertThat(server.stats().chunkBytesReceived()).isZero();
    }

    @Test
    void recordOfExactlyTheLimitIsStored() throws Exception {
        byte[] largest = TestBytes.random((int) Limits.MAX_PACKED_CHUNK_BYTES, 3);

        Http.Response response = upload(pack(A, largest));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json(PackUploadResponse.class)).isEqualTo(new PackUploadResponse(2, 0));
        assertThat(stored(largest).map(Hashing::sha256Hex)).contains(sha(largest));
    }

    private static byte[] emptyChunks(int count) {
        byte[][] chunks = new byte[count][];
        Arrays.fill(chunks, EMPTY);
        return pack(chunks);
    }

    @Test
    void packOfExactlyTheMostRecordsIsAccepted() throws Exception {
        Http.Response response = upload(emptyChunks(Limits.MAX_CHUNKS_PER_PACK));

        assertThat(response.status()).as(response.toString()).isEqualTo(200);
        assertThat(response.json(PackUploadResponse.class))
                .isEqualTo(new PackUploadResponse(1, Limits.MAX_CHUNKS_PER_PACK - 1));
    }

    @Test
    void packOfMoreRecordsThanTheLimitIs413() throws Exception {
        byte[] pack = concat(emptyChunks(Limits.MAX_CHUNKS_PER_PACK), pack(A));

        Http.Response response = upload(pack);

        ErrorBody error = assertError(response, 413, "too large");
        assertThat(error.detail()).contains("more than " + Limits.MAX_CHUNKS_PER_PACK + " records");
        assertThat(stored(A)).isEmpty();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void packSentAsAnotherMediaTypeIs415() throws Exception {
        byte[] pack = pack(A);

        assertError(http.post(PACK, "application/octet-stream", HttpRequest.BodyPublishers.ofByteArray(pack)),
                415, "unsupported media type");
        assertError(http.send("POST", PACK, HttpRequest.BodyPublishers.ofByteArray(pack)),
                415, "unsupported media type");
        assertThat(storedBlobs()).isZero();
        assertThat(http.post(PACK, PackFormat.MEDIA_TYPE + "; charset=no-such-charset",
                HttpRequest.BodyPublishers.ofByteArray(pack)).status()).isEqualTo(200);
    }

    @Test
    void fetchOfAChunkNotStoredIs404NamingItAndSendsNothingElse() throws Exception {
        upload(pack(A, B));
        String absent = sha("never uploaded".getBytes(StandardCharsets.UTF_8));
        long sentBefore = server.stats().chunkBytesSent();

        Http.Response response = fetch(List.of(sha(A), absent, sha(B), absent));

        ErrorBody error = assertError(response, 404, "not found");
        assertThat(error.detail()).isEqualTo("1 chunk is (" + absent + ") not stored; nothing was sent");
        assertThat(server.stats().chunkBytesSent()).isEqualTo(sentBefore);
        assertThat(server.stats().packFetches()).isZero();
    }

    @Test
    void fetchOfManyUnknownChunksNamesAFewOfThem() throws Exception {
        List<String> absent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            absent.add(sha(("absent " + i).getBytes(StandardCharsets.UTF_8)));
        }

        ErrorBody error = assertError(fetch(absent), 404, "not found");

        assertThat(error.detail()).startsWith("50 chunks are (" + absent.get(0) + ", ")
                .contains(absent.get(4)).doesNotContain(absent.get(5));
    }

    @Test
    void fetchWithAMalformedHashIs400() throws Exception {
        upload(pack(A));

        assertError(fetch(List.of(sha(A), "ABC")), 400, "bad hash");
        assertError(fetch(List.of(sha(A).toUpperCase(Locale.ROOT))), 400, "bad hash");
        assertError(http.post(FETCH, "{\"hashes\":[null]}"), 400, "malformed json");
        assertError(http.post(FETCH, "{\"hashes\":"), 400, "malformed json");
    }

    @Test
    void fetchOfMoreHashesThanTheLimitIs400() throws Exception {
        upload(pack(A));

        ErrorBody error = assertError(fetch(Collections.nCopies(Limits.MAX_HASHES_PER_QUERY + 1, sha(A))),
                400, "bad request");

        assertThat(error.detail()).contains(Integer.toString(Limits.MAX_HASHES_PER_QUERY));
        Http.Response most = fetch(Collections.nCopies(Limits.MAX_HASHES_PER_QUERY, sha(A)));
        assertThat(most.status()).isEqualTo(200);
        assertThat(most.body()).hasSize(Limits.MAX_HASHES_PER_QUERY * (PackFormat.HEADER_BYTES + A.length));
    }

    @Test
    void statsCountChunkBytesBothWaysWhetherOrNotTheChunksWereNew() throws Exception {
        upload(pack(A, B));
        upload(pack(A, B, C));
        assertThat(http.put("/api/v1/blobs/" + sha(A), A).status()).isEqualTo(200);
        upload(concat(pack(EMPTY), record(sha(B), A.length, A))); // refused: counted, not stored
        fetch(List.of(sha(C), sha(A)));
        assertThat(http.get("/api/v1/blobs/" + sha(B)).body()).isEqualTo(B);

        ServerStats stats = server.stats();

        assertThat(stats.chunkBytesReceived())
                .isEqualTo(2L * (A.length + B.length) + C.length + A.length + A.length);
        assertThat(stats.chunkBytesSent()).isEqualTo((long) C.length + A.length + B.length);
        assertThat(stats.packUploads()).isEqualTo(2);
        assertThat(stats.packFetches()).isEqualTo(1);
        assertThat(stats.blobUploads()).isZero();
        assertThat(stats.blobDownloads()).isEqualTo(1);
    }
}
