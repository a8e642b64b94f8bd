package io.syncedfolder.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.json.JavalinJackson;
import io.javalin.util.JavalinException;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.CommitResponse;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.FetchRequest;
import io.syncedfolder.common.protocol.MissingBlobsResponse;
import io.syncedfolder.common.protocol.MissingRequest;
import io.syncedfolder.common.protocol.MissingResponse;
import io.syncedfolder.common.protocol.PackFormat;
import io.syncedfolder.common.protocol.StaleResponse;
import io.syncedfolder.server.auth.BearerAuthenticator;
import io.syncedfolder.server.blob.BlobContent;
import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.blob.HashMismatchException;
import io.syncedfolder.server.blob.IncompleteUploadException;
import io.syncedfolder.server.blob.InvalidHashException;
import io.syncedfolder.server.index.CommitOutcome;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.service.ChangeWaiters;
import io.syncedfolder.server.service.CommitService;
import io.syncedfolder.server.service.CountingInputStream;
import io.syncedfolder.server.service.FetchPlan;
import io.syncedfolder.server.service.InvalidRequestException;
import io.syncedfolder.server.service.Limits;
import io.syncedfolder.server.service.PackService;
import io.syncedfolder.server.service.RequestTooLargeException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.LongAdder;
import io.syncedfolder.server.tls.TlsIdentity;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves the sync protocol over HTTP (routes in {@link io.syncedfolder.common.protocol}): turns requests into
 * calls on the index, blob store and commit service, and their results and failures into status codes and
 * JSON bodies. The only class that knows Javalin.
 *
 * <p>Answers: 200/201 success; 400 {@link ErrorBody} for anything malformed (JSON, path, hash, query,
 * content, a pack, a blob whose bytes do not match its name); 401 for every {@code /api/v1/} request without the
 * right bearer token, whatever was wrong with it; 404 for an unknown route or blob; 409 {@link StaleResponse};
 * 413 for a JSON body, pack or packed chunk over the limit ({@link Limits}); 415 for a pack sent as another media
 * type; 422 {@link MissingBlobsResponse}; 500 for anything unexpected, logged here and never detailed to the
 * client.
 *
 * <p>{@code GET /changes?wait=S} is a long poll: when nothing is newer than {@code since}, the request is parked
 * in {@link ChangeWaiters} (no thread holds it) and answered after the next commit, after S seconds, or when the
 * server stops, whichever comes first; every answer is what a plain {@code GET /changes} returns at that moment.
 *
 * <p>{@code POST /blobs/pack} and {@code POST /blobs/fetch} move many chunks per request ({@link PackFormat}),
 * streamed record by record through {@link PackService}; a fetch is checked in full before its 200 goes out.
 */
final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String API = "/api/v1";
    /**
     * How long a connection may sit without traffic: well above the longest long poll, which sends nothing while
     * it waits. Jetty 12.1 leaves a parked (async) request alone when its idle timeout passes (tried: a 5 s poll
     * survived a 2 s timeout), but earlier Jetty versions failed it, and the default of 30 s is below 60 s.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(Limits.MAX_WAIT_SECONDS + 30L);

    private final long maxJsonBytes;
    private final BearerAuthenticator auth;
    private final FileIndex index;
    private final BlobStore blobs;
    private final CommitService commits;
    private final PackService packs;
    private final Javalin app;
    private final ChangeWaiters waiters;

    private final LongAdder commitRequests = new LongAdder();
    private final LongAdder acceptedCommits = new LongAdder();
    private final LongAdder staleCommits = new LongAdder();
    private final LongAdder missingBlobCommits = new LongAdder();
    private final LongAdder blobUploads = new LongAdder();
    private final LongAdder blobDownloads = new LongAdder();
    private final LongAdder packUploads = new LongAdder();
    private final LongAdder packFetches = new LongAdder();
    private final LongAdder chunkBytesReceived = new LongAdder();
    private final LongAdder chunkBytesSent = new LongAdder();
    private final LongAdder changeRequests = new LongAdder();

    private HttpApi(String bind, int port, long maxJsonBytes, BearerAuthenticator auth, FileIndex index,
                    BlobStore blobs, CommitService commits, TlsIdentity tls) {
        this.maxJsonBytes = maxJsonBytes;
        this.auth = auth;
        this.index = index;
        this.blobs = blobs;
        this.commits = commits;
        this.packs = new PackService(blobs);
        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // Blobs are hashed content the client verifies byte for byte; compression would only cost CPU.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            // Our own connector, only to raise the idle timeout; otherwise what Javalin would make.
            config.jetty.addConnector((server, httpConfiguration) -> {
                ServerConnector connector = tls == null
                        ? new ServerConnector(server, new HttpConnectionFactory(httpConfiguration))
                        : httpsConnector(server, httpConfiguration, tls);
                connector.setHost(bind);
                connector.setPort(port);
                connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                return connector;
            });
            // Long polls time themselves out (ChangeWaiters); this only catches one that somehow did not.
            config.http.asyncTimeout = IDLE_TIMEOUT.toMillis();
            // Javalin's maxRequestSize only guards ctx.body()/bodyAsBytes(), which this class never calls:
            // blobs stream to disk unbounded and JSON bodies are bounded by readJson.

            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.before(API + "/*", this::authenticate);
            config.routes.get(API + "/changes", this::changes);
            config.routes.post(API + "/blobs/missing", this::missing);
            config.routes.post(API + "/blobs/pack", this::uploadPack);
            config.routes.post(API + "/blobs/fetch", this::fetchPack);
            config.routes.put(API + "/blobs/{sha256}", this::putBlob);
            config.routes.get(API + "/blobs/{sha256}", this::getBlob);
            config.routes.post(API + "/commit", this::commit);

            config.routes.exception(Unauthorized.class, (e, ctx) -> {
                ctx.header(Header.WWW_AUTHENTICATE, "Bearer");
                error(ctx, HttpStatus.UNAUTHORIZED, "unauthorized",
                        "a valid \"Authorization: Bearer <token>\" header is required");
            });
            config.routes.exception(InvalidRequestException.class,
                    (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.error(), e.getMessage()));
            config.routes.exception(InvalidHashException.class,
                    (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, "bad hash", e.getMessage()));
            config.routes.exception(HashMismatchException.class,
                    (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, "hash mismatch", e.getMessage()));
            config.routes.exception(IncompleteUploadException.class, (e, ctx) -> {
                LOG.info("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                error(ctx, HttpStatus.BAD_REQUEST, "incomplete upload", e.getMessage());
            });
            config.routes.exception(RequestTooLargeException.class,
                    (e, ctx) -> error(ctx, HttpStatus.CONTENT_TOO_LARGE, "too large", e.getMessage()));
            config.routes.exception(HttpResponseException.class, (e, ctx) -> {
                HttpStatus status = HttpStatus.forStatus(e.getStatus());
                error(ctx, status, status.getMessage().toLowerCase(Locale.ROOT), e.getMessage());
            });
            config.routes.exception(Exception.class, (e, ctx) -> {
                LOG.error("{} {} failed", ctx.method(), ctx.path(), e);
                error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error",
                        "the server could not complete the request; its log has the details");
            });
        });
        // Waiters woken by a commit or a timeout are answered on Jetty's request threads.
        this.waiters = new ChangeWaiters(index, app.jettyServer().threadPool());
    }

    /**
     * Starts serving on {@code bind}:{@code port} (0: any free port).
     *
     * @param maxJsonBytes the largest JSON request body accepted; larger ones get 413
     * @throws BindException if the address is taken or cannot be bound
     */
    static HttpApi start(String bind, int port, long maxJsonBytes, BearerAuthenticator auth, FileIndex index,
                         BlobStore blobs, CommitService commits) throws IOException {
        return start(bind, port, maxJsonBytes, auth, index, blobs, commits, null);
    }

    /** Starts serving as the method above does, over HTTPS with {@code tls} unless it is null (then plain HTTP). */
    static HttpApi start(String bind, int port, long maxJsonBytes, BearerAuthenticator auth, FileIndex index,
                         BlobStore blobs, CommitService commits, TlsIdentity tls) throws IOException {
        HttpApi api = new HttpApi(bind, port, maxJsonBytes, auth, index, blobs, commits, tls);
        try {
            api.app.start();
        } catch (JavalinException e) {
            api.waiters.close();
            BindException refused = new BindException("cannot listen on " + bind + ":" + port + ": " + reason(e));
            refused.initCause(e);
            throw refused;
        } catch (RuntimeException e) {
            api.waiters.close();
            throw e;
        }
        return api;
    }

    /** Returns a connector that speaks only HTTPS (HTTP/1.1 inside TLS) with the server's certificate. */
    private static ServerConnector httpsConnector(Server server, HttpConfiguration plain, TlsIdentity tls) {
        SslContextFactory.Server ssl = new SslContextFactory.Server();
        ssl.setKeyStore(tls.keyStore());
        ssl.setKeyStorePassword(tls.keyStorePassword());
        ssl.setKeyManagerPassword(tls.keyStorePassword());
        HttpConfiguration https = new HttpConfiguration(plain);
        // One certificate, no virtual hosts: a client that pins it may reach us by any name, so the name it
        // asked for (SNI) need not be one the certificate lists.
        SecureRequestCustomizer secure = new SecureRequestCustomizer();
        secure.setSniHostCheck(false);
        https.addCustomizer(secure);
        return new ServerConnector(server, new SslConnectionFactory(ssl, HttpVersion.HTTP_1_1.asString()),
                new HttpConnectionFactory(https));
    }

    /** Returns why Jetty could not listen; Javalin's own message says "port in use" whatever the cause. */
    private static String reason(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        if (root instanceof UnresolvedAddressException) {
            return "the address cannot be resolved";
        }
        String message = root.getMessage() == null ? root.toString() : root.getMessage();
        return message.isEmpty() ? message : Character.toLowerCase(message.charAt(0)) + message.substring(1);
    }

    int port() {
        return app.port();
    }

    /** Returns the counts so far; each is read on its own, so they may be a request apart from each other. */
    ServerStats stats() {
        return new ServerStats(commitRequests.sum(), acceptedCommits.sum(), staleCommits.sum(),
                missingBlobCommits.sum(), blobUploads.sum(), blobDownloads.sum(), packUploads.sum(),
                packFetches.sum(), chunkBytesReceived.sum(), chunkBytesSent.sum(), changeRequests.sum(),
                waiters.pending());
    }

    /** Answers every parked long poll (on this thread, so the answers go out before Jetty stops), then stops. */
    @Override
    public void close() {
        try {
            waiters.close();
        } finally {
            app.stop();
        }
    }

    private void authenticate(Context ctx) {
        if (!auth.accepts(ctx.header(Header.AUTHORIZATION))) {
            throw new Unauthorized();
        }
    }

    private void changes(Context ctx) {
        changeRequests.increment();
        long since = nonNegative(ctx, "since", 0);
        long limit = nonNegative(ctx, "limit", Limits.MAX_CHANGES_PER_PAGE);
        if (limit == 0) {
            throw InvalidRequestException.badRequest("limit must be at least 1");
        }
        int pageSize = (int) Math.min(limit, Limits.MAX_CHANGES_PER_PAGE);
        long wait = waitSeconds(ctx);
        if (wait == 0 || index.sequence() > since) {
            ctx.json(index.changesSince(since, pageSize));
            return;
        }
        ctx.future(() -> {
            CompletableFuture<ChangeWaiters.Wake> woken = waiters.await(since, Duration.ofSeconds(wait));
            // Whatever woke it, the answer is the feed as it is now: after a timeout or at shutdown that is
            // normally empty with the cursor at the current sequence, but a commit racing the timeout is included
            // rather than skipped.
            CompletableFuture<Void> answered = woken.thenAccept(why -> ctx.json(index.changesSince(since, pageSize)));
            // Javalin cancels the future it holds if the request times out; the waiter must not outlive it.
            answered.whenComplete((ignored, failure) -> {
                if (failure instanceof CancellationException) {
                    woken.cancel(false);
                }
            });
            return answered;
        });
    }

    /** Reads {@code wait}: 0 if absent, whole seconds cut to {@link Limits#MAX_WAIT_SECONDS}. */
    private static long waitSeconds(Context ctx) {
        String value = ctx.queryParam("wait");
        if (value != null && value.matches("\\+?[0-9]{19,}")) {
            return Limits.MAX_WAIT_SECONDS; // a whole number too long for a long is still just "very long"
        }
        return Math.min(nonNegative(ctx, "wait", 0), Limits.MAX_WAIT_SECONDS);
    }

    private static long nonNegative(Context ctx, String name, long absent) {
        String value = ctx.queryParam(name);
        if (value == null) {
            return absent;
        }
        try {
            long parsed = Long.parseLong(value);
            if (parsed >= 0) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // answered below, like a negative number
        }
        throw InvalidRequestException.badRequest(
                name + " must be a whole number of at least 0, not \"" + clip(value) + "\"");
    }

    private void missing(Context ctx) {
        MissingRequest request = readJson(ctx, MissingRequest.class);
        if (request.hashes().size() > Limits.MAX_HASHES_PER_QUERY) {
            throw InvalidRequestException.badRequest("asked about " + request.hashes().size()
                    + " hashes; at most " + Limits.MAX_HASHES_PER_QUERY + " are allowed at once");
        }
        ctx.json(new MissingResponse(blobs.missing(request.hashes())));
    }

    private void putBlob(Context ctx) throws IOException, HashMismatchException {
        BlobStore.PutResult result = blobs.put(ctx.pathParam("sha256"),
                new CountingInputStream(ctx.bodyInputStream(), chunkBytesReceived::add));
        if (result == BlobStore.PutResult.STORED) {
            blobUploads.increment();
        }
        ctx.status(result == BlobStore.PutResult.STORED ? HttpStatus.CREATED : HttpStatus.OK);
    }

    private void getBlob(Context ctx) throws IOException {
        String hash = ctx.pathParam("sha256");
        Optional<BlobContent> blob = blobs.open(hash);
        if (blob.isEmpty()) {
            error(ctx, HttpStatus.NOT_FOUND, "not found", "no blob " + hash + " is stored");
            return;
        }
        blobDownloads.increment();
        try (BlobContent content = blob.get()) {
            ctx.status(HttpStatus.OK)
                    .contentType(ContentType.APPLICATION_OCTET_STREAM)
                    .header(Header.CONTENT_LENGTH, Long.toString(content.size()));
            try {
                new CountingInputStream(content.content(), chunkBytesSent::add).transferTo(ctx.outputStream());
            } catch (IOException e) {
                // The status line is gone already; the short body tells the client, which checks the length.
                LOG.info("download of blob {} broke off: {}", hash, e.toString());
            }
        }
    }

    private void uploadPack(Context ctx) throws IOException {
        // The raw header: Jetty's parsed content type fails on a charset it does not know, which means nothing here.
        String type = ctx.header(Header.CONTENT_TYPE);
        String mediaType = type == null ? "" : type.split(";", 2)[0].strip();
        if (!mediaType.equalsIgnoreCase(PackFormat.MEDIA_TYPE)) {
            throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(),
                    "a pack must be sent as Content-Type: " + PackFormat.MEDIA_TYPE + ", not \"" + clip(type) + "\"");
        }
        ctx.json(packs.receive(ctx.bodyInputStream(), chunkBytesReceived::add));
        packUploads.increment();
    }

    private void fetchPack(Context ctx) throws IOException {
        FetchPlan plan = packs.plan(readJson(ctx, FetchRequest.class).hashes());
        if (plan instanceof FetchPlan.Unknown unknown) {
            error(ctx, HttpStatus.NOT_FOUND, "not found", describe(unknown.hashes(), "chunk is", "chunks are")
                    + " not stored; nothing was sent");
        } else if (plan instanceof FetchPlan.Ready ready) {
            packFetches.increment();
            ctx.status(HttpStatus.OK)
                    .contentType(PackFormat.MEDIA_TYPE)
                    .header(Header.CONTENT_LENGTH, Long.toString(ready.contentLength()));
            try {
                packs.send(ready, ctx.outputStream(), chunkBytesSent::add);
            } catch (IOException e) {
                // As for a single blob: the status is gone, and the short body tells the client.
                LOG.info("sending a pack of {} chunks broke off: {}", ready.chunks().size(), e.toString());
            }
        } else {
            throw new AssertionError(plan);
        }
    }

    private void commit(Context ctx) throws IOException {
        commitRequests.increment();
        CommitOutcome result = commits.commit(readJson(ctx, CommitRequest.class));
        if (result instanceof CommitOutcome.Accepted accepted) {
            acceptedCommits.increment();
            ctx.json(new CommitResponse(accepted.cursor(), accepted.entries()));
        } else if (result instanceof CommitOutcome.Stale stale) {
            staleCommits.increment();
            ctx.status(HttpStatus.CONFLICT).json(new StaleResponse("stale",
                    describe(stale.paths(), "path changed", "paths changed")
                            + " since the version the commit is based on; nothing was applied",
                    stale.paths(), stale.current()));
        } else if (result instanceof CommitOutcome.MissingBlobs missing) {
            missingBlobCommits.increment();
            ctx.status(HttpStatus.UNPROCESSABLE_CONTENT).json(new MissingBlobsResponse("missing blobs",
                    describe(missing.hashes(), "chunk is", "chunks are")
                            + " not stored; upload them and commit again; nothing was applied",
                    missing.hashes()));
        } else {
            throw new AssertionError(result);
        }
    }

    private static String describe(List<String> items, String one, String many) {
        String shown = String.join(", ", items.subList(0, Math.min(items.size(), 5)));
        return items.size() + " " + (items.size() == 1 ? one : many) + " (" + shown
                + (items.size() > 5 ? ", …" : "") + ")";
    }

    /** Reads a JSON body of at most {@code maxJsonBytes}, streaming it into {@code type}. */
    private <T> T readJson(Context ctx, Class<T> type) {
        if (ctx.req().getContentLengthLong() > maxJsonBytes) {
            throw tooLarge(maxJsonBytes);
        }
        T value;
        try (InputStream in = new BoundedInputStream(ctx.bodyInputStream(), maxJsonBytes)) {
            value = Json.mapper().readValue(in, type);
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException("malformed json",
                    "the body is not a valid " + type.getSimpleName() + ": " + clip(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new InvalidRequestException("incomplete request",
                    "the body could not be read: " + e.getMessage());
        }
        if (value == null) {
            throw new InvalidRequestException("malformed json", "the body must be a JSON object, not null");
        }
        return value;
    }

    private static void error(Context ctx, HttpStatus status, String error, String detail) {
        ctx.status(status).json(new ErrorBody(error, detail));
    }

    private static String clip(String text) {
        if (text == null) {
            return "";
        }
        String oneLine = text.replaceAll("\\p{Cntrl}", " ");
        return oneLine.length() > 300 ? oneLine.substring(0, 300) + "…" : oneLine;
    }

    /** A request without the right bearer token. */
    private static final class Unauthorized extends RuntimeException {
        Unauthorized() {
            super("unauthorized", null, false, false);
        }
    }

    /** Returns the failure for a JSON body over the limit. */
    private static RequestTooLargeException tooLarge(long limit) {
        return new RequestTooLargeException("the request body is larger than " + limit + " bytes");
    }

    /** Stops reading a request body once it passes a byte limit. */
    private static final class BoundedInputStream extends FilterInputStream {
        private final long limit;
        private long remaining;

        BoundedInputStream(InputStream in, long limit) {
            super(in);
            this.limit = limit;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            count(Math.max(n, 0));
            return n;
        }

        private void count(int n) {
            remaining -= n;
            if (remaining < 0) {
                throw tooLarge(limit);
            }
        }
    }
}
