package io.syncedfolder.server;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.ContentType;
import io.javalin.http.Context;
import io.javalin.http.Header;
import io.javalin.http.HttpResponseException;
import io.javalin.http.HttpStatus;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import io.javalin.router.Endpoint;
import io.javalin.util.JavalinException;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.PathRules;
import io.syncedfolder.common.protocol.BlockSignature;
import io.syncedfolder.common.protocol.CommitRequest;
import io.syncedfolder.common.protocol.CommitResponse;
import io.syncedfolder.common.protocol.DeltaFormat;
import io.syncedfolder.common.protocol.DeltaRequest;
import io.syncedfolder.common.protocol.ErrorBody;
import io.syncedfolder.common.protocol.FetchRequest;
import io.syncedfolder.common.protocol.MissingBlobsResponse;
import io.syncedfolder.common.protocol.MissingRequest;
import io.syncedfolder.common.protocol.MissingResponse;
import io.syncedfolder.common.protocol.PackFormat;
import io.syncedfolder.common.protocol.RestoreRequest;
import io.syncedfolder.common.protocol.StaleResponse;
import io.syncedfolder.server.auth.AuthThrottle;
import io.syncedfolder.server.auth.Authenticator;
import io.syncedfolder.server.blob.BlobContent;
import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.blob.HashMismatchException;
import io.syncedfolder.server.blob.IncompleteUploadException;
import io.syncedfolder.server.blob.InvalidHashException;
import io.syncedfolder.server.index.CommitOutcome;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.metrics.ServerMetrics;
import io.syncedfolder.server.service.BlobCollector;
import io.syncedfolder.server.service.BoundedBody;
import io.syncedfolder.server.service.BusyException;
import io.syncedfolder.server.service.ChangeWaiters;
import io.syncedfolder.server.service.ConflictException;
import io.syncedfolder.server.service.CountingInputStream;
import io.syncedfolder.server.service.FetchPlan;
import io.syncedfolder.server.service.InvalidRequestException;
import io.syncedfolder.server.service.Limits;
import io.syncedfolder.server.service.NotFoundException;
import io.syncedfolder.server.service.PackService;
import io.syncedfolder.server.service.ChunkOwnership;
import io.syncedfolder.server.service.RequestTooLargeException;
import io.syncedfolder.server.tls.TlsIdentity;
import io.syncedfolder.server.web.FileDownloads;
import io.syncedfolder.server.web.IndexTotals;
import io.syncedfolder.server.web.ServerVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.BindException;
import java.nio.channels.UnresolvedAddressException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Supplier;
import java.util.zip.ZipException;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.http.BadMessageException;
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
 * content, a pack, a blob whose bytes do not match its name); 401 for every {@code /api/v1/} request without a
 * bearer token this server knows, whatever was wrong with it; 429 once an address has failed to sign in
 * {@value AuthThrottle#MAX_FAILURES} times in a minute; 404 for an unknown route or blob, and for a path or version the
 * history does not have; 409 {@link StaleResponse}, or an {@link ErrorBody} for a restore blocked by a file;
 * 413 for a JSON body, pack or packed chunk over the limit ({@link Limits}); 415 for a pack sent as another media
 * type; 422 {@link MissingBlobsResponse}; 500 for anything unexpected, logged here and never detailed to the
 * client. Errors Jetty answers itself before a route runs (a header or address over
 * {@value #MAX_HEADER_BYTES} bytes: 431/414; a malformed request line) and a body arriving slower than
 * {@value #MIN_REQUEST_BYTES_PER_SECOND} bytes a second ({@link SlowBodyGuard}: 408) carry the same JSON body
 * ({@link JsonErrorHandler}).
 *
 * <p>Users: every {@code /api/v1/} request runs in the namespace of the user its token names ({@link Namespace}):
 * its own index, change feed, history and chunks. Nothing of another user can be named from it: paths and versions
 * are looked up in the user's own index, and a chunk the user has not uploaded and does not refer to answers as if
 * it were not stored ({@link io.syncedfolder.server.service.ChunkOwnership}). {@code /metrics} shows server-wide
 * figures (the blob store's size reflects what all users store together), so only the {@code --token} holder, the
 * operator, may read it.
 *
 * <p>{@code GET /changes?wait=S} is a long poll: when nothing is newer than {@code since}, the request is parked
 * in {@link ChangeWaiters} (no thread holds it) and answered after the next commit, after S seconds, or when the
 * server stops, whichever comes first; every answer is what a plain {@code GET /changes} returns at that moment.
 *
 * <p>{@code POST /blobs/pack} and {@code POST /blobs/fetch} move many chunks per request ({@link PackFormat}),
 * streamed record by record through {@link PackService}; a fetch is checked in full before its 200 goes out.
 *
 * <p>The web page is static files from the classpath folder {@code web/}, served at {@code /} without a token under
 * a content security policy that allows only its own scripts and styles; it signs in by sending the token on every
 * API request, like any client. {@code GET /files}, {@code GET /file} and {@code GET /status} are there for it
 * (and for scripts): a folder listing, a whole file streamed from its chunks, and the server's state.
 */
final class HttpApi implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(HttpApi.class);
    private static final String API = "/api/v1";
    private static final String STARTED_AT = "sync.startedAt";
    private static final String NAMESPACE = "sync.namespace";
    /**
     * Bytes of the request line and headers together: room for a path of {@value PathRules#MAX_PATH_BYTES} bytes
     * percent-encoded (up to three characters a byte) in a query, and no more.
     */
    static final int MAX_HEADER_BYTES = 16 * 1024;
    /**
     * The slowest a request body may arrive, on average over the time the server waits for it, before the request
     * is failed (408, {@link SlowBodyGuard}): far below any real network, so it only stops a sender that trickles
     * bytes to hold a connection and its buffers.
     */
    static final long MIN_REQUEST_BYTES_PER_SECOND = 1024;
    /** How a 404 for chunks ends when nothing was sent in answer. */
    private static final String NOTHING_SENT = "nothing was sent";
    /**
     * How long a connection may sit without traffic: well above the longest long poll, which sends nothing while
     * it waits. Jetty 12.1 leaves a parked (async) request alone when its idle timeout passes (tried: a 5 s poll
     * survived a 2 s timeout), but earlier Jetty versions failed it, and the default of 30 s is below 60 s.
     */
    static final Duration IDLE_TIMEOUT = Duration.ofSeconds(Limits.MAX_WAIT_SECONDS + 30L);
    /**
     * Sent with every file of the web page: scripts, styles, fetches and images only from this server (no inline
     * script, so injected markup cannot run), never framed, no referrer, and revalidated on every load so a new
     * server version's page is never mixed with an old cached script.
     */
    private static final Map<String, String> PAGE_HEADERS = Map.of(
            "Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; "
                    + "img-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
                    + "frame-ancestors 'none'",
            "X-Content-Type-Options", "nosniff",
            "Referrer-Policy", "no-referrer",
            "Cache-Control", "no-cache");

    private final long maxJsonBytes;
    private final Authenticator auth;
    private final AuthThrottle throttle;
    private final Namespaces namespaces;
    private final BlobStore blobs;
    private final Javalin app;
    private final Executor dispatch;
    private final Map<String, ChangeWaiters> waiters = new ConcurrentHashMap<>();
    private volatile boolean closing;
    private final ServerMetrics metrics;
    private final Supplier<BlobCollector.Totals> gcTotals;
    private final String version = ServerVersion.get();
    private final long startedAt = System.currentTimeMillis();

    private final LongAdder commitRequests = new LongAdder();
    private final LongAdder acceptedCommits = new LongAdder();
    private final LongAdder staleCommits = new LongAdder();
    private final LongAdder missingBlobCommits = new LongAdder();
    private final LongAdder blobUploads = new LongAdder();
    private final LongAdder blobDownloads = new LongAdder();
    private final LongAdder packUploads = new LongAdder();
    private final LongAdder packFetches = new LongAdder();
    private final LongAdder deltaFetches = new LongAdder();
    private final LongAdder deltaBytesSent = new LongAdder();
    private final LongAdder deltaUploads = new LongAdder();
    private final LongAdder deltaBytesReceived = new LongAdder();
    private final LongAdder chunkBytesReceived = new LongAdder();
    private final LongAdder chunkBytesSent = new LongAdder();
    private final LongAdder changeRequests = new LongAdder();
    private final LongAdder restores = new LongAdder();

    private HttpApi(String bind, int port, long maxJsonBytes, Authenticator auth, AuthThrottle throttle,
                    Namespaces namespaces, BlobStore blobs, ServerMetrics metrics,
                    Supplier<BlobCollector.Totals> gcTotals, TlsIdentity tls) {
        this.maxJsonBytes = maxJsonBytes;
        this.gcTotals = gcTotals;
        this.metrics = metrics;
        this.auth = auth;
        this.throttle = throttle;
        this.namespaces = namespaces;
        this.blobs = blobs;
        this.app = Javalin.create(config -> {
            config.jsonMapper(new JavalinJackson(Json.mapper(), false));
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            // Blobs are hashed content the client verifies byte for byte; compression would only cost CPU.
            config.http.compressionStrategy = CompressionStrategy.NONE;
            // Our own connector, only to raise the idle timeout; otherwise what Javalin would make.
            config.jetty.addConnector((server, httpConfiguration) -> {
                httpConfiguration.setRequestHeaderSize(MAX_HEADER_BYTES);
                ServerConnector connector = tls == null
                        ? new ServerConnector(server, new HttpConnectionFactory(httpConfiguration))
                        : httpsConnector(server, httpConfiguration, tls);
                connector.setHost(bind);
                connector.setPort(port);
                connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
                return connector;
            });
            config.jetty.modifyServer(server -> server.setErrorHandler(new JsonErrorHandler()));
            // Long polls time themselves out (ChangeWaiters); this only catches one that somehow did not.
            config.http.asyncTimeout = IDLE_TIMEOUT.toMillis();
            // Javalin's maxRequestSize only guards ctx.body()/bodyAsBytes(), which this class never calls:
            // blobs stream to disk unbounded and JSON bodies are bounded by readJson.

            config.routes.before(ctx -> ctx.attribute(STARTED_AT, System.nanoTime()));
            config.routes.after(this::countRequest);
            config.staticFiles.add(files -> {
                files.hostedPath = "/";
                files.directory = "/web";
                files.location = Location.CLASSPATH;
                files.headers = PAGE_HEADERS;
            });

            config.routes.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
            config.routes.get("/metrics", this::metrics);
            config.routes.before(API + "/*", ctx -> authenticate(ctx));
            config.routes.get(API + "/changes", this::changes);
            config.routes.post(API + "/blobs/missing", this::missing);
            config.routes.post(API + "/blobs/pack", this::uploadPack);
            config.routes.post(API + "/blobs/fetch", this::fetchPack);
            config.routes.post(API + "/blobs/delta", this::fetchDelta);
            config.routes.put(API + "/blobs/{sha256}", this::putBlob);
            config.routes.get(API + "/blobs/{sha256}/signature", this::getSignature);
            config.routes.get(API + "/blobs/{sha256}", this::getBlob);
            config.routes.post(API + "/commit", this::commit);
            config.routes.get(API + "/history", this::history);
            config.routes.get(API + "/trash", ctx -> ctx.json(namespace(ctx).history().trash()));
            config.routes.post(API + "/restore", this::restore);
            config.routes.get(API + "/files", this::listFolder);
            config.routes.get(API + "/file", this::downloadFile);
            config.routes.get(API + "/status", this::status);

            config.routes.exception(Unauthorized.class, (e, ctx) -> {
                ctx.header(Header.WWW_AUTHENTICATE, "Bearer");
                error(ctx, HttpStatus.UNAUTHORIZED, "unauthorized",
                        "a valid \"Authorization: Bearer <token>\" header is required");
            });
            config.routes.exception(Throttled.class, (e, ctx) -> {
                ctx.header(Header.RETRY_AFTER, Long.toString(e.retryAfterSeconds));
                error(ctx, HttpStatus.TOO_MANY_REQUESTS, "too many attempts", "this address failed to sign in "
                        + AuthThrottle.MAX_FAILURES + " times within a minute; try again in " + e.retryAfterSeconds
                        + " s");
            });
            config.routes.exception(InvalidRequestException.class,
                    (e, ctx) -> error(ctx, HttpStatus.BAD_REQUEST, e.error(), e.getMessage()));
            config.routes.exception(BusyException.class,
                    (e, ctx) -> error(ctx, HttpStatus.SERVICE_UNAVAILABLE, "busy", e.getMessage()));
            config.routes.exception(NotFoundException.class,
                    (e, ctx) -> error(ctx, HttpStatus.NOT_FOUND, "not found", e.getMessage()));
            config.routes.exception(ConflictException.class,
                    (e, ctx) -> error(ctx, HttpStatus.CONFLICT, "conflict", e.getMessage()));
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
            // Refusals met while reading a body: Jetty's own, and SlowBodyGuard's 408 for one arriving too slowly.
            config.routes.exception(BadMessageException.class, (e, ctx) -> {
                LOG.info("{} {}: {}", ctx.method(), ctx.path(), e.getMessage());
                ctx.status(e.getCode()).json(JsonErrorHandler.errorBody(e.getCode(), e.getReason()));
            });
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
        this.dispatch = app.jettyServer().threadPool();
    }

    /**
     * Starts serving on {@code bind}:{@code port} (0: any free port).
     *
     * @param maxJsonBytes the largest JSON request body accepted; larger ones get 413
     * @param auth         who may use the API, and in which namespace
     * @param throttle     counts failed sign-ins per address
     * @throws BindException if the address is taken or cannot be bound
     */
    static HttpApi start(String bind, int port, long maxJsonBytes, Authenticator auth, AuthThrottle throttle,
                         Namespaces namespaces, BlobStore blobs, ServerMetrics metrics,
                         Supplier<BlobCollector.Totals> gcTotals, TlsIdentity tls) throws IOException {
        HttpApi api = new HttpApi(bind, port, maxJsonBytes, auth, throttle, namespaces, blobs, metrics, gcTotals, tls);
        try {
            api.app.start();
        } catch (JavalinException e) {
            api.closeWaiters();
            BindException refused = new BindException("cannot listen on " + bind + ":" + port + ": " + reason(e));
            refused.initCause(e);
            throw refused;
        } catch (RuntimeException e) {
            api.closeWaiters();
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

    /** Returns the long polls of namespace {@code namespace}, made on its first long poll. */
    private ChangeWaiters waitersOf(Namespace namespace) {
        return waiters.computeIfAbsent(namespace.id(), id -> {
            ChangeWaiters made = new ChangeWaiters(namespace.index(), dispatch);
            if (closing) {
                made.close(); // the server stops: the poll is answered at once
            }
            return made;
        });
    }

    private void closeWaiters() {
        closing = true;
        for (ChangeWaiters namespaceWaiters : waiters.values()) {
            namespaceWaiters.close();
        }
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

    /**
     * Returns the counts so far, with the collector's; each is read on its own, so they may be a request apart from
     * each other.
     */
    ServerStats stats() {
        BlobCollector.Totals gc = gcTotals.get();
        return new ServerStats(commitRequests.sum(), acceptedCommits.sum(), staleCommits.sum(),
                missingBlobCommits.sum(), blobUploads.sum(), blobDownloads.sum(), packUploads.sum(),
                packFetches.sum(), chunkBytesReceived.sum(), chunkBytesSent.sum(), deltaFetches.sum(),
                deltaBytesSent.sum(), deltaUploads.sum(), deltaBytesReceived.sum(), changeRequests.sum(),
                waitingLongPolls(), restores.sum(), gc.runs(), gc.blobsDeleted(), gc.bytesFreed());
    }

    private long waitingLongPolls() {
        long pending = 0;
        for (ChangeWaiters namespaceWaiters : waiters.values()) {
            pending += namespaceWaiters.pending();
        }
        return pending;
    }

    /** Answers every parked long poll (on this thread, so the answers go out before Jetty stops), then stops. */
    @Override
    public void close() {
        try {
            closeWaiters();
        } finally {
            app.stop();
        }
    }

    /** Counts an answered request under its route pattern (e.g. {@code /api/v1/blobs/{sha256}}), not its raw path. */
    private void countRequest(Context ctx) {
        Long startedAt = ctx.attribute(STARTED_AT);
        Endpoint endpoint = ctx.endpoints().lastHttpEndpoint();
        String route = endpoint == null ? "unmatched" : endpoint.path;
        long took = startedAt == null ? 0 : System.nanoTime() - startedAt;
        metrics.request(ctx.method().name(), route, ctx.statusCode(), Duration.ofNanos(took));
    }

    /** {@code GET /metrics}: Prometheus' text format, for the operator's {@code --token} only (403 for accounts). */
    private void metrics(Context ctx) throws IOException {
        if (!authenticate(ctx).operator()) {
            error(ctx, HttpStatus.FORBIDDEN, "forbidden", "the metrics cover every user's data, so only the"
                    + " --token holder (the operator) may read them");
            return;
        }
        ctx.contentType(ServerMetrics.contentType()).result(metrics.scrape());
    }

    /**
     * Finds who sent the request and opens their namespace for the route, or refuses it: 429 while the address is
     * throttled (whatever the token), 401 for every kind of wrong or missing token alike.
     */
    private Authenticator.Principal authenticate(Context ctx) throws IOException {
        String address = ctx.req().getRemoteAddr();
        OptionalLong wait = throttle.retryAfterSeconds(address);
        if (wait.isPresent()) {
            throw new Throttled(wait.getAsLong());
        }
        Optional<Authenticator.Principal> principal = auth.authenticate(ctx.header(Header.AUTHORIZATION));
        if (principal.isEmpty()) {
            throttle.failed(address);
            throw new Unauthorized();
        }
        ctx.attribute(NAMESPACE, namespaces.get(principal.get().namespace()));
        return principal.get();
    }

    /** Returns the namespace of the user the request was authenticated as. */
    private static Namespace namespace(Context ctx) {
        Namespace namespace = ctx.attribute(NAMESPACE);
        if (namespace == null) {
            throw new IllegalStateException("no namespace for " + ctx.path() + ": the route skipped authentication");
        }
        return namespace;
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
        Namespace namespace = namespace(ctx);
        FileIndex index = namespace.index();
        if (wait == 0 || index.sequence() > since) {
            JsonEncoding.answer(ctx, index.changesSince(since, pageSize));
            return;
        }
        ctx.future(() -> {
            CompletableFuture<ChangeWaiters.Wake> woken = waitersOf(namespace).await(since, Duration.ofSeconds(wait));
            // Whatever woke it, the answer is the feed as it is now: after a timeout or at shutdown that is
            // normally empty with the cursor at the current sequence, but a commit racing the timeout is included
            // rather than skipped.
            CompletableFuture<Void> answered = woken.thenAccept(
                    why -> JsonEncoding.answer(ctx, index.changesSince(since, pageSize)));
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
        JsonEncoding.answer(ctx, new MissingResponse(namespace(ctx).ownership().missing(request.hashes())));
    }

    private void putBlob(Context ctx) throws IOException, HashMismatchException {
        String hash = ctx.pathParam("sha256");
        BlobStore.requireValid(hash);
        if (DeltaFormat.MEDIA_TYPE.equalsIgnoreCase(mediaType(ctx))) {
            putDelta(ctx, hash);
            return;
        }
        ChunkOwnership ownership = namespace(ctx).ownership();
        // "Created" is news to this user, not to the store: content another user holds must not answer otherwise.
        boolean known = ownership.has(hash);
        // Written even if the store has it from someone else, so the upload's timing does not tell either.
        blobs.put(hash, new CountingInputStream(SlowBodyGuard.body(ctx), chunkBytesReceived::add), !known);
        ownership.uploaded(List.of(hash));
        if (!known) {
            blobUploads.increment();
        }
        ctx.status(known ? HttpStatus.OK : HttpStatus.CREATED);
    }

    /** Stores a chunk sent as a delta against {@code ?base=}, a chunk this user has, with its length {@code ?size=}. */
    private void putDelta(Context ctx, String hash) throws IOException {
        String base = ctx.queryParam("base");
        BlobStore.requireValid(base);
        long size = deltaChunkSize(ctx.queryParam("size"));
        PackService packs = namespace(ctx).packs();
        Optional<FetchPlan.Ready> stored = stored(ctx, packs, List.of(base), "send the chunk whole");
        if (stored.isEmpty()) {
            return;
        }
        boolean created = packs.receiveDelta(hash, size, stored.get().chunks().get(0),
                new CountingInputStream(SlowBodyGuard.body(ctx), deltaBytesReceived::add));
        deltaUploads.increment();
        ctx.status(created ? HttpStatus.CREATED : HttpStatus.OK);
    }

    private static long deltaChunkSize(String size) {
        try {
            long value = Long.parseLong(size == null ? "" : size);
            if (value >= 0 && value <= DeltaFormat.MAX_CHUNK_BYTES) {
                return value;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw InvalidRequestException.badRequest("size must be the chunk's length, 0 to " + DeltaFormat.MAX_CHUNK_BYTES
                + ", not \"" + clip(size) + "\"");
    }

    private void getSignature(Context ctx) throws IOException {
        PackService packs = namespace(ctx).packs();
        Optional<FetchPlan.Ready> stored = stored(ctx, packs, List.of(ctx.pathParam("sha256")), NOTHING_SENT);
        if (stored.isEmpty()) {
            return;
        }
        BlockSignature signature = packs.signature(stored.get().chunks().get(0));
        ByteArrayOutputStream body = new ByteArrayOutputStream((int) signature.length());
        signature.writeTo(body);
        ctx.status(HttpStatus.OK).contentType(BlockSignature.MEDIA_TYPE).result(body.toByteArray());
    }

    private void getBlob(Context ctx) throws IOException {
        String hash = ctx.pathParam("sha256");
        BlobStore.requireValid(hash);
        // Another user's chunk answers exactly as a chunk nobody stores.
        Optional<BlobContent> blob = namespace(ctx).ownership().has(hash) ? blobs.open(hash) : Optional.empty();
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

    /** Returns the request's media type, without parameters; empty if it has none. */
    private static String mediaType(Context ctx) {
        // The raw header: Jetty's parsed content type fails on a charset it does not know, which means nothing here.
        String type = ctx.header(Header.CONTENT_TYPE);
        return type == null ? "" : type.split(";", 2)[0].strip();
    }

    private void uploadPack(Context ctx) throws IOException {
        if (!mediaType(ctx).equalsIgnoreCase(PackFormat.MEDIA_TYPE)) {
            throw new HttpResponseException(HttpStatus.UNSUPPORTED_MEDIA_TYPE.getCode(), "a pack must be sent as "
                    + "Content-Type: " + PackFormat.MEDIA_TYPE + ", not \"" + clip(ctx.header(Header.CONTENT_TYPE))
                    + "\"");
        }
        ctx.json(namespace(ctx).packs().receive(SlowBodyGuard.body(ctx), chunkBytesReceived::add));
        packUploads.increment();
    }

    private void fetchPack(Context ctx) throws IOException {
        PackService packs = namespace(ctx).packs();
        Optional<FetchPlan.Ready> stored = stored(ctx, packs, readJson(ctx, FetchRequest.class).hashes(), NOTHING_SENT);
        if (stored.isEmpty()) {
            return;
        }
        FetchPlan.Ready ready = stored.get();
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
    }

    /**
     * Returns the chunks {@code hashes} name with their stored lengths, in order; or, if this namespace lacks any,
     * answers 404 naming them (in the same words whoever else stores them), then {@code otherwise}, and returns
     * empty.
     */
    private static Optional<FetchPlan.Ready> stored(Context ctx, PackService packs, List<String> hashes,
                                                    String otherwise) throws IOException {
        FetchPlan plan = packs.plan(hashes);
        if (plan instanceof FetchPlan.Unknown unknown) {
            error(ctx, HttpStatus.NOT_FOUND, "not found", describe(unknown.hashes(), "chunk is", "chunks are")
                    + " not stored; " + otherwise);
            return Optional.empty();
        }
        return Optional.of((FetchPlan.Ready) plan);
    }

    private void fetchDelta(Context ctx) throws IOException {
        PackService packs = namespace(ctx).packs();
        DeltaRequest request = readJson(ctx, DeltaRequest.class);
        Optional<FetchPlan.Ready> stored = stored(ctx, packs, Arrays.asList(request.chunk(), request.base()),
                NOTHING_SENT);
        if (stored.isEmpty()) {
            return;
        }
        byte[] delta = packs.delta(stored.get().chunks().get(0), stored.get().chunks().get(1));
        deltaFetches.increment();
        deltaBytesSent.add(delta.length);
        ctx.status(HttpStatus.OK).contentType(DeltaFormat.MEDIA_TYPE).result(delta);
    }

    private void commit(Context ctx) throws IOException {
        commitRequests.increment();
        CommitOutcome result = namespace(ctx).commits().commit(readJson(ctx, CommitRequest.class));
        if (result instanceof CommitOutcome.Accepted accepted) {
            acceptedCommits.increment();
            JsonEncoding.answer(ctx, new CommitResponse(accepted.cursor(), accepted.entries()));
        } else {
            if (result instanceof CommitOutcome.Stale) {
                staleCommits.increment();
            } else if (result instanceof CommitOutcome.MissingBlobs) {
                missingBlobCommits.increment();
            }
            answerRefused(ctx, result);
        }
    }

    private void history(Context ctx) {
        ctx.json(namespace(ctx).history().history(ctx.queryParam("path")));
    }

    private void restore(Context ctx) throws IOException {
        CommitOutcome result = namespace(ctx).history().restore(readJson(ctx, RestoreRequest.class));
        if (result instanceof CommitOutcome.Accepted accepted) {
            restores.increment();
            // The file is the last change; folders brought back with it come before.
            ctx.json(accepted.entries().get(accepted.entries().size() - 1));
        } else {
            answerRefused(ctx, result);
        }
    }

    /** Answers a commit or restore that changed nothing: 409 for a stale base, 422 for missing content. */
    private void answerRefused(Context ctx, CommitOutcome result) {
        if (result instanceof CommitOutcome.Stale stale) {
            ctx.status(HttpStatus.CONFLICT).json(new StaleResponse("stale",
                    describe(stale.paths(), "path changed", "paths changed")
                            + " since the version the commit is based on; nothing was applied",
                    stale.paths(), stale.current()));
        } else if (result instanceof CommitOutcome.MissingBlobs missing) {
            ctx.status(HttpStatus.UNPROCESSABLE_CONTENT).json(new MissingBlobsResponse("missing blobs",
                    describe(missing.hashes(), "chunk is", "chunks are")
                            + " not stored; upload them and commit again; nothing was applied",
                    missing.hashes()));
        } else {
            throw new AssertionError(result);
        }
    }

    private void listFolder(Context ctx) {
        String dir = ctx.queryParam("dir");
        namespace(ctx).folders().list(dir).ifPresentOrElse(ctx::json,
                () -> error(ctx, HttpStatus.NOT_FOUND, "not found", "the server has no folder \"" + dir + "\""));
    }

    /** Streams one file version whole: the current one, or {@code ?version=V}. */
    private void downloadFile(Context ctx) throws IOException {
        Long version = ctx.queryParam("version") == null ? null : nonNegative(ctx, "version", 0);
        FileDownloads downloads = namespace(ctx).downloads();
        FileDownloads.Lookup lookup = downloads.find(ctx.queryParam("path"), version);
        if (lookup instanceof FileDownloads.NotFound notFound) {
            error(ctx, HttpStatus.NOT_FOUND, "not found", notFound.detail());
        } else if (lookup instanceof FileDownloads.ContentMissing missing) {
            LOG.error("version {} of {} cannot be sent: {}", missing.entry().version(), missing.entry().path(),
                    describe(missing.hashes(), "chunk is", "chunks are") + " not stored");
            error(ctx, HttpStatus.INTERNAL_SERVER_ERROR, "internal error",
                    "the server lacks part of this file's content; its log has the details");
        } else if (lookup instanceof FileDownloads.Found found) {
            FileEntry entry = found.entry();
            String name = PathRules.name(entry.path());
            ctx.status(HttpStatus.OK)
                    .contentType(FileDownloads.contentType(name))
                    .header(Header.CONTENT_LENGTH, Long.toString(entry.size()))
                    .header(Header.CONTENT_DISPOSITION, FileDownloads.contentDisposition(name))
                    .header(Header.X_CONTENT_TYPE_OPTIONS, "nosniff")
                    .header(Header.ETAG, "\"" + entry.sha256() + "\"");
            try {
                downloads.send(entry, ctx.outputStream());
            } catch (IOException e) {
                // As for a blob: the status is gone, and the short body tells the receiver.
                LOG.info("download of {} broke off: {}", entry.path(), e.toString());
            }
        } else {
            throw new AssertionError(lookup);
        }
    }

    private void status(Context ctx) {
        FileIndex index = namespace(ctx).index();
        IndexTotals totals = IndexTotals.of(index);
        long now = System.currentTimeMillis();
        ctx.json(new ServerStatus(version, startedAt, Math.max(0, now - startedAt) / 1000, index.sequence(),
                index.id(), totals.files(), totals.folders(), totals.bytes(), totals.deleted(), stats()));
    }

    private static String describe(List<String> items, String one, String many) {
        String shown = String.join(", ", items.subList(0, Math.min(items.size(), 5)));
        return items.size() + " " + (items.size() == 1 ? one : many) + " (" + shown
                + (items.size() > 5 ? ", …" : "") + ")";
    }

    /** Reads a JSON body of at most {@code maxJsonBytes}, streaming it into {@code type}. */
    private <T> T readJson(Context ctx, Class<T> type) {
        String refusal = "the request body is larger than " + maxJsonBytes + " bytes";
        if (ctx.req().getContentLengthLong() > maxJsonBytes) {
            throw new RequestTooLargeException(refusal);
        }
        T value;
        try (InputStream in = JsonEncoding.body(ctx, body -> new BoundedBody(body, maxJsonBytes, refusal))) {
            value = Json.mapper().readerFor(type).without(JsonParser.Feature.AUTO_CLOSE_SOURCE).readValue(in);
            JsonEncoding.finish(ctx, in);
        } catch (ZipException e) {
            throw new InvalidRequestException("malformed json", "the body is not valid gzip: " + e.getMessage());
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

    /** A request from an address that failed to sign in too often lately. */
    private static final class Throttled extends RuntimeException {
        private final long retryAfterSeconds;

        Throttled(long retryAfterSeconds) {
            super("throttled", null, false, false);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }
}
