package io.syncedfolder.client.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.Change;
import io.syncedfolder.common.protocol.BlockSignature;
import io.syncedfolder.common.protocol.ChangesResponse;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.CommitResponse;
import io.syncedfolder.common.protocol.DeltaFormat;
import io.syncedfolder.common.protocol.DeltaReader;
import io.syncedfolder.common.protocol.DeltaRequest;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.FetchRequest;
import io.syncedfolder.common.protocol.HistoryResponse;
import io.syncedfolder.common.protocol.JsonBodies;
import io.syncedfolder.common.protocol.MissingBlobsResponse;
import io.syncedfolder.common.protocol.MissingRequest;
import io.syncedfolder.common.protocol.MissingResponse;
import io.syncedfolder.common.protocol.PackFormat;
import io.syncedfolder.common.protocol.PackReader;
import io.syncedfolder.common.protocol.PackUploadResponse;
import io.syncedfolder.common.protocol.PackWriter;
import io.syncedfolder.common.protocol.RestoreRequest;
import io.syncedfolder.common.protocol.StaleResponse;
import io.syncedfolder.common.protocol.TrashResponse;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.LongConsumer;
import javax.net.ssl.SSLPeerUnverifiedException;
import okhttp3.ConnectionSpec;
import okhttp3.HttpUrl;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

/**
 * The client's one door to the server's HTTP API. One shared {@link OkHttpClient} (it owns the connection
 * pool); a transport failure is an {@link IOException}, a refusal a {@link ServerException}.
 */
public final class ServerClient implements AutoCloseable {
    private static final MediaType JSON = MediaType.get("application/json");
    private static final MediaType OCTETS = MediaType.get("application/octet-stream");
    private static final MediaType PACK = MediaType.get(PackFormat.MEDIA_TYPE);
    private static final MediaType DELTA = MediaType.get(DeltaFormat.MEDIA_TYPE);

    private final String serverUrl;
    private final HttpUrl api;
    private final String authorization;
    /** Built in the background: it loads most of OkHttp (about 0.2 s), while the caller reads its state. */
    private final CompletableFuture<OkHttpClient> http;
    private volatile LongConsumer chunkMeter = bytes -> { };
    /** Set once an answer of the server says ({@code Accept-Encoding: gzip}) that it reads gzipped bodies. */
    private volatile boolean serverReadsGzip;

    /** A client of the server at {@code serverUrl}; over https it trusts what the system's authorities trust. */
    public ServerClient(String serverUrl, String token) {
        this(serverUrl, token, null, List.of());
    }

    /**
     * A client of the server at {@code serverUrl}. Over https it trusts exactly the certificate with
     * {@code serverFingerprint} (as the server prints it at start-up) when that is given, and otherwise what the
     * system's certificate authorities trust.
     *
     * @throws IllegalArgumentException if the URL is not http(s) or the fingerprint is malformed
     */
    public ServerClient(String serverUrl, String token, String serverFingerprint) {
        this(serverUrl, token, serverFingerprint, List.of());
    }

    /**
     * A client as above whose every call also passes through {@code interceptors}: the seam through which tests
     * inject transport faults (failed, dropped or repeated requests).
     */
    public ServerClient(String serverUrl, String token, String serverFingerprint, List<Interceptor> interceptors) {
        HttpUrl base = HttpUrl.parse(serverUrl);
        if (base == null) {
            throw new IllegalArgumentException("not an http:// or https:// URL: " + serverUrl);
        }
        this.serverUrl = serverUrl;
        this.api = base.newBuilder().addPathSegments("api/v1").build();
        this.authorization = "Bearer " + token;
        OkHttpClient.Builder builder = new OkHttpClient.Builder()
                .connectTimeout(Duration.ofSeconds(10))
                .readTimeout(Duration.ofSeconds(60))
                .writeTimeout(Duration.ofSeconds(60));
        if (base.isHttps()) {
            ServerTrust trust = serverFingerprint == null ? ServerTrust.system() : ServerTrust.pinned(serverFingerprint);
            builder.sslSocketFactory(trust.socketFactory(), trust.trustManager());
            if (trust.pinned()) {
                builder.hostnameVerifier((host, session) -> true);
            }
        } else {
            // Plain HTTP only: OkHttp then skips setting up TLS (the system's trust store and an SSL context),
            // which costs about 0.1 s of every run's start.
            builder.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        }
        interceptors.forEach(builder::addInterceptor);
        this.http = CompletableFuture.supplyAsync(builder::build);
    }

    /** Tells {@code meter} the size of every chunk sent or received from now on, from any thread (for progress). */
    public void meterChunks(LongConsumer meter) {
        this.chunkMeter = meter;
    }

    /** Returns one page of the change feed after {@code since}. */
    public ChangesResponse changes(long since) throws IOException {
        return changes(since, 0);
    }

    /**
     * Returns one page of the change feed after {@code since}; if there is nothing yet, the server holds the
     * request up to {@code waitSeconds} for a change (long polling) and otherwise answers with no entries.
     */
    public ChangesResponse changes(long since, int waitSeconds) throws IOException {
        HttpUrl.Builder url = api.newBuilder().addPathSegment("changes")
                .addQueryParameter("since", Long.toString(since));
        if (waitSeconds > 0) {
            url.addQueryParameter("wait", Integer.toString(waitSeconds));
        }
        return call(request(url.build()).get().build(), ChangesResponse.class);
    }

    /** Returns the hashes among {@code hashes} that the server does not hold. */
    public List<String> missingBlobs(Collection<String> hashes) throws IOException {
        if (hashes.isEmpty()) {
            return List.of();
        }
        HttpUrl url = api.newBuilder().addPathSegments("blobs/missing").build();
        return call(postJson(url, new MissingRequest(List.copyOf(hashes))).build(), MissingResponse.class)
                .missing();
    }

    /** Uploads one chunk, streaming it from where it lies on disk. */
    public void uploadBlob(FileRange range) throws IOException {
        HttpUrl url = api.newBuilder().addPathSegment("blobs").addPathSegment(range.chunk().sha256()).build();
        try (Response response = execute(request(url).put(new FileRangeBody(range)).build())) {
            if (!response.isSuccessful()) {
                throw refusal(response);
            }
        }
        chunkMeter.accept(range.chunk().size());
    }

    /** Returns the {@link BlockSignature} of chunk {@code base}, which the server stores for this user. */
    public BlockSignature signature(ChunkRef base) throws IOException {
        HttpUrl url = api.newBuilder().addPathSegment("blobs").addPathSegment(base.sha256())
                .addPathSegment("signature").build();
        try (Response response = execute(request(url).get().build())) {
            if (!response.isSuccessful()) {
                throw refusal(response);
            }
            return BlockSignature.read(new NetworkStream(response.body().byteStream()), base.size());
        }
    }

    /**
     * Uploads chunk {@code chunk} as {@code delta} ({@link DeltaFormat}) against chunk {@code base}, which the
     * server stores for this user; the server stores it only if the delta rebuilds it exactly.
     */
    public void uploadDelta(ChunkRef chunk, ChunkRef base, byte[] delta) throws IOException {
        HttpUrl url = api.newBuilder().addPathSegment("blobs").addPathSegment(chunk.sha256())
                .addQueryParameter("base", base.sha256()).addQueryParameter("size", Long.toString(chunk.size()))
                .build();
        try (Response response = execute(request(url).put(RequestBody.create(delta, DELTA)).build())) {
            if (!response.isSuccessful()) {
                throw refusal(response);
            }
        }
        chunkMeter.accept(chunk.size());
    }

    /**
     * Uploads many chunks in one request, streaming each from its file.
     *
     * @throws LocalReadException if a file could not be read to the end (it changed); nothing was lost
     */
    public PackUploadResponse uploadPack(List<FileRange> chunks) throws IOException {
        HttpUrl url = api.newBuilder().addPathSegments("blobs/pack").build();
        PackUploadResponse stored = call(request(url).post(new PackBody(List.copyOf(chunks))).build(), PackUploadResponse.class);
        chunkMeter.accept(chunks.stream().mapToLong(range -> range.chunk().size()).sum());
        return stored;
    }

    /**
     * Fetches many chunks in one request and hands each to {@code sink} as it arrives, in the order asked.
     * A broken connection is a {@link ServerUnavailableException}; an exception of the sink passes through.
     */
    public void fetchPack(List<ChunkRef> chunks, ChunkSink sink) throws IOException {
        HttpUrl url = api.newBuilder().addPathSegments("blobs/fetch").build();
        List<String> hashes = chunks.stream().map(ChunkRef::sha256).toList();
        try (Response response = execute(postJson(url, new FetchRequest(hashes)).build())) {
            if (!response.isSuccessful()) {
                throw refusal(response);
            }
            long largest = chunks.stream().mapToLong(ChunkRef::size).max().orElse(0);
            PackReader pack = new PackReader(new NetworkStream(response.body().byteStream()), largest);
            for (ChunkRef wanted : chunks) {
                ChunkRef got = pack.next().orElseThrow(() -> new IOException("the server's pack ended early"));
                if (!got.equals(wanted)) {
                    throw new IOException("the server sent chunk " + got.sha256() + " where " + wanted.sha256()
                            + " was expected");
                }
                sink.accept(got, pack.content());
                chunkMeter.accept(got.size());
            }
        }
    }

    /**
     * Returns {@code chunk}'s bytes rebuilt from {@code baseBytes}, the content of chunk {@code base}, and the
     * delta between them the server sends ({@link DeltaFormat}); the caller checks them against the chunk's hash.
     */
    public byte[] fetchDelta(ChunkRef chunk, ChunkRef base, byte[] baseBytes) throws IOException {
        HttpUrl url = api.newBuilder().addPathSegments("blobs/delta").build();
        try (Response response = execute(postJson(url, new DeltaRequest(chunk.sha256(), base.sha256()))
                .build())) {
            if (!response.isSuccessful()) {
                throw refusal(response);
            }
            byte[] rebuilt = DeltaReader.rebuild(baseBytes, new NetworkStream(response.body().byteStream()),
                    Math.toIntExact(chunk.size()));
            chunkMeter.accept(chunk.size());
            return rebuilt;
        }
    }

    /** Returns the current version of {@code path} and the earlier ones the server keeps, newest first. */
    public HistoryResponse history(String path) throws IOException {
        HttpUrl url = api.newBuilder().addPathSegment("history").addQueryParameter("path", path).build();
        return call(request(url).get().build(), HistoryResponse.class);
    }

    /** Returns the deleted files the server can still bring back, most recently deleted first. */
    public TrashResponse trash() throws IOException {
        HttpUrl url = api.newBuilder().addPathSegment("trash").build();
        return call(request(url).get().build(), TrashResponse.class);
    }

    /**
     * Makes version {@code version} of {@code path} (null: the newest kept earlier one) its current version again,
     * as a new version every client then downloads; returns that new entry.
     */
    public FileEntry restore(String path, Long version) throws IOException {
        HttpUrl url = api.newBuilder().addPathSegment("restore").build();
        return call(postJson(url, new RestoreRequest(path, version)).build(), FileEntry.class);
    }

    /** Proposes a batch of changes; the server applies all or none. */
    public CommitResult commit(String device, List<Change> changes) throws IOException {
        HttpUrl url = api.newBuilder().addPathSegment("commit").build();
        Request request = postJson(url, new CommitRequest(device, changes)).build();
        try (Response response = execute(request)) {
            String body = body(response);
            return switch (response.code()) {
                case 200 -> new CommitResult.Accepted(parse(body, CommitResponse.class));
                case 409 -> new CommitResult.Stale(parse(body, StaleResponse.class));
                case 422 -> new CommitResult.MissingBlobs(parse(body, MissingBlobsResponse.class).missing());
                default -> throw refusal(response.code(), body);
            };
        }
    }

    @Override
    public void close() {
        http().dispatcher().executorService().shutdown();
        http().connectionPool().evictAll();
    }

    private OkHttpClient http() {
        try {
            return http.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw e;
        }
    }

    private Request.Builder request(HttpUrl url) {
        return new Request.Builder().url(url).header("Authorization", authorization);
    }

    private <T> T call(Request request, Class<T> type) throws IOException {
        try (Response response = execute(request)) {
            String body = body(response);
            if (!response.isSuccessful()) {
                throw refusal(response.code(), body);
            }
            return parse(body, type);
        }
    }

    /**
     * Returns a POST of {@code value} as JSON, gzipped if it is large and the server said it reads gzip (an older
     * server does not; the first request of a pass, for changes, has no body and tells).
     */
    private Request.Builder postJson(HttpUrl url, Object value) throws JsonProcessingException {
        byte[] json = Json.mapper().writeValueAsBytes(value);
        if (json.length < JsonBodies.GZIP_MIN_BYTES || !serverReadsGzip) {
            return request(url).post(RequestBody.create(json, JSON));
        }
        return request(url).header("Content-Encoding", JsonBodies.GZIP)
                .post(RequestBody.create(JsonBodies.gzip(json), JSON));
    }

    private Response execute(Request request) throws IOException {
        try {
            Response response = http().newCall(request).execute();
            if (JsonBodies.acceptsGzip(response.header("Accept-Encoding"))) {
                serverReadsGzip = true;
            }
            return response;
        } catch (LocalReadException e) {
            throw e;
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    private String body(Response response) throws IOException {
        try {
            return response.body().string();
        } catch (IOException e) {
            throw unavailable(e);
        }
    }

    private ServerUnavailableException unavailable(IOException cause) {
        String refused = tlsRefusal(cause);
        if (refused != null) {
            return new ServerUnavailableException(refused, cause);
        }
        String reason = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        // An HTTPS server hangs up on plain HTTP without a word.
        String hint = !api.isHttps() && reason.startsWith("unexpected end of stream")
                ? "; if the server serves HTTPS, use an https:// URL" : "";
        return new ServerUnavailableException("cannot reach the server at " + serverUrl + " ("
                + reason.lines().findFirst().orElse("") + ")" + hint, cause);
    }

    /** Returns one line saying why the server's certificate was refused and what to do, or null if it was not. */
    private String tlsRefusal(IOException failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof ServerTrust.PinMismatchException mismatch) {
                return "the server's certificate " + mismatch.presented() + " does not match --server-fingerprint "
                        + mismatch.pinned() + "; if the server's certificate was renewed, pass the new fingerprint "
                        + "from its 'certificate fingerprint' line at start-up; if not, something else is answering "
                        + "at " + serverUrl + ": do not send it your token";
            }
            if (cause instanceof ServerTrust.UntrustedCertificateException untrusted) {
                return "the server at " + serverUrl + " presented a certificate this system does not trust "
                        + "(self-signed?); if " + untrusted.presented() + " is the 'certificate fingerprint' the "
                        + "server printed at start-up, trust it with --server-fingerprint " + untrusted.presented();
            }
            if (cause instanceof SSLPeerUnverifiedException unverified) {
                return "the server's certificate is not valid for the name in " + serverUrl + " ("
                        + unverified.getMessage().lines().findFirst().orElse("") + "); use a name it lists, or pin "
                        + "it with --server-fingerprint and the fingerprint the server printed at start-up";
            }
        }
        return null;
    }

    private static <T> T parse(String body, Class<T> type) throws IOException {
        try {
            return Json.mapper().readValue(body, type);
        } catch (JsonProcessingException e) {
            throw new IOException("the server sent an answer this client cannot read: " + e.getOriginalMessage(), e);
        }
    }

    private ServerException refusal(Response response) throws IOException {
        return refusal(response.code(), body(response));
    }

    private static ServerException refusal(int status, String body) {
        ErrorBody error;
        try {
            error = Json.mapper().readValue(body, ErrorBody.class);
        } catch (JsonProcessingException e) {
            error = new ErrorBody("http " + status, body.length() > 200 ? body.substring(0, 200) : body);
        }
        String message = switch (status) {
            case 401 -> "the server refused the token (check --token, SYNC_TOKEN or --token-file)";
            case 404 -> "the server does not know this address (" + error.detail() + "); is --server right?";
            default -> "the server refused the request (" + status + " " + error.error()
                    + (error.detail() == null ? "" : ": " + error.detail()) + ")";
        };
        return new ServerException(status, error.error(), message);
    }

    /** Turns a read failure of a response body into {@link ServerUnavailableException}. */
    private final class NetworkStream extends FilterInputStream {
        NetworkStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return super.read();
            } catch (IOException e) {
                throw unavailable(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return super.read(b, off, len);
            } catch (IOException e) {
                throw unavailable(e);
            }
        }
    }

    /** Streams chunks from their files as one pack, so an upload of many chunks never sits in memory. */
    private static final class PackBody extends RequestBody {
        private final List<FileRange> chunks;

        PackBody(List<FileRange> chunks) {
            this.chunks = chunks;
        }

        @Override
        public MediaType contentType() {
            return PACK;
        }

        @Override
        public long contentLength() {
            return chunks.stream().mapToLong(range -> PackFormat.HEADER_BYTES + range.chunk().size()).sum();
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            PackWriter pack = new PackWriter(sink.outputStream());
            for (FileRange range : chunks) {
                try (InputStream in = open(range)) {
                    pack.write(range.chunk(), in);
                } catch (EOFException e) {
                    throw new LocalReadException(range.file() + " became shorter while it was uploaded", e);
                }
            }
        }
    }

    /** Streams one chunk from where it lies on disk, so an upload never sits in memory. */
    private static final class FileRangeBody extends RequestBody {
        private final FileRange range;

        FileRangeBody(FileRange range) {
            this.range = range;
        }

        @Override
        public MediaType contentType() {
            return OCTETS;
        }

        @Override
        public long contentLength() {
            return range.chunk().size();
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try (InputStream in = open(range)) {
                byte[] buffer = new byte[64 * 1024];
                for (long left = range.chunk().size(); left > 0; ) {
                    int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                    if (n < 0) {
                        throw new LocalReadException(range.file() + " became shorter while it was uploaded", null);
                    }
                    sink.write(buffer, 0, n);
                    left -= n;
                }
            }
        }
    }

    /** Opens a file at a chunk's offset; a vanished file is a {@link LocalReadException}. */
    private static InputStream open(FileRange range) throws IOException {
        FileChannel channel;
        try {
            channel = FileChannel.open(range.file(), StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new LocalReadException(range.file() + " was deleted while it was uploaded", e);
        }
        channel.position(range.offset());
        return Channels.newInputStream(channel);
    }
}
