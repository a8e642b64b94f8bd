package io.syncedfolder.client;

import io.syncedfolder.client.exec.DiskHook;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.CommitResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import okhttp3.Interceptor;
import okhttp3.MediaType;
import okhttp3.Protocol;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.ResponseBody;

/**
 * Injects seeded faults into one simulated client where the outside world meets it: each disk step of its
 * executor (a {@link DiskHook}) and each of its HTTP requests (an OkHttp {@link Interceptor}).
 *
 * <p>On disk: a full disk (the step fails), a slow write (simulated time passes before the step), a crash
 * before the step; a write cut short by a full disk or a crash may leave garbage at the end of its file. On the wire: a request that fails before it is sent, a response lost after the server acted
 * on the request, a request sent twice, a server error, a crash just before or just after a request. A crashed
 * client is dead, like a process after {@code kill -9}: every later step or request it tries throws
 * {@link Crash} again, until the simulation opens the client anew from its folder.
 */
final class SimFaults implements DiskHook, Interceptor {
    /** Where a simulated client process is killed: nothing of it runs after this. */
    static final class Crash extends Error {
        private static final long serialVersionUID = 1L;

        Crash(String where) {
            super("simulated crash at " + where, null, false, false);
        }
    }

    /** How often each fault strikes, per disk step or per request. */
    record Rates(double crash, double diskFull, double slowWrite, double requestFails, double responseLost,
                 double duplicate, double serverError, double crashAtRequest) {
        static final Rates NONE = new Rates(0, 0, 0, 0, 0, 0, 0, 0);

        /** Draws a run's rates: some runs are calm, some are storms. */
        static Rates drawn(Random random) {
            double storm = random.nextDouble();
            return new Rates(0.04 * storm, 0.06 * storm, 0.08 * storm, 0.04 * storm, 0.04 * storm, 0.05 * storm,
                    0.03 * storm, 0.04 * storm);
        }
    }

    /** Is told what happens at the seams. */
    interface Observer {
        /** The client is between two steps of a pass (about to take {@code where} on {@code path}, if any). */
        void between(SimFaults client, String where, Path path);

        /** The server accepted a commit of this client (whether or not the client hears of it). */
        void accepted(SimFaults client, CommitResponse response);

        /** A fault was injected. */
        void injected(SimFaults client, String fault, String where);
    }

    private static final MediaType JSON = MediaType.get("application/json");

    final String client;
    private final Path world;
    private final Random random;
    private final SimClock.Time time;
    private final Observer observer;
    private final Thread owner = Thread.currentThread();
    private Rates rates;
    private boolean armed;
    private boolean dead;

    SimFaults(String client, Path world, Random random, SimClock.Time time, Rates rates, Observer observer) {
        this.client = client;
        this.world = world;
        this.random = random;
        this.time = time;
        this.rates = rates;
        this.observer = observer;
    }

    /** Faults strike (and the observer hears of steps) only while armed: during the passes of the run. */
    void arm(boolean armed) {
        this.armed = armed;
    }

    /** Stops every fault from now on. */
    void stop() {
        rates = Rates.NONE;
    }

    /** The client was opened anew after a crash. */
    void revive() {
        dead = false;
    }

    @Override
    public void before(Step step, Path path) throws IOException {
        requireOwnerThread();
        String where = step + " " + world.relativize(path).toString().replace('\\', '/');
        if (dead) {
            throw new Crash(where);
        }
        if (!armed) {
            return;
        }
        observer.between(this, where, path);
        double r = random.nextDouble();
        if ((r -= rates.crash()) < 0) {
            tear(step, path, where);
            die(where);
        }
        if ((r -= rates.diskFull()) < 0) {
            tear(step, path, where);
            observer.injected(this, "disk full", where);
            throw new IOException("No space left on device");
        }
        if ((r -= rates.slowWrite()) < 0) {
            long millis = 1_000 + random.nextInt(30_000);
            observer.injected(this, "slow write", where);
            time.advance(millis);
        }
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        requireOwnerThread();
        Request request = chain.request();
        String where = request.method() + " " + request.url().encodedPath();
        if (dead) {
            throw new Crash(where);
        }
        if (!armed) {
            return received(chain.proceed(request), request);
        }
        observer.between(this, where, null);
        double r = random.nextDouble();
        if ((r -= rates.crashAtRequest() / 2) < 0) {
            die("before " + where);
        }
        if ((r -= rates.requestFails()) < 0) {
            observer.injected(this, "request failed", where);
            throw new IOException("simulated: connection refused");
        }
        if ((r -= rates.serverError()) < 0) {
            observer.injected(this, "server error", where);
            return new Response.Builder().request(request).protocol(Protocol.HTTP_1_1).code(503)
                    .message("Service Unavailable")
                    .body(ResponseBody.create("{\"error\":\"unavailable\",\"detail\":\"simulated\"}", JSON)).build();
        }
        Response response = received(chain.proceed(request), request);
        if ((r -= rates.duplicate()) < 0) {
            observer.injected(this, "request sent twice", where);
            response.close();
            return received(chain.proceed(request), request);
        }
        if ((r -= rates.responseLost()) < 0) {
            observer.injected(this, "response lost", where);
            response.close();
            throw new IOException("simulated: connection reset after the server answered");
        }
        if ((r -= rates.crashAtRequest() / 2) < 0) {
            response.close();
            die("after " + where);
        }
        return response;
    }

    /** Half the time, a write cut short leaves some bytes of garbage at the end of the file being written. */
    private void tear(Step step, Path path, String where) throws IOException {
        if (step == Step.WRITE_PART && random.nextBoolean()) {
            byte[] garbage = new byte[1 + random.nextInt(8192)];
            random.nextBytes(garbage);
            Files.write(path, garbage, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            observer.injected(this, "torn write", where);
        }
    }

    private void die(String where) {
        dead = true;
        observer.injected(this, "crash", where);
        throw new Crash(where);
    }

    /** Reads a response whole (so the server has finished with the request) and notes accepted commits. */
    private Response received(Response response, Request request) throws IOException {
        byte[] body;
        MediaType type;
        try (response) {
            body = response.body().bytes();
            type = response.body().contentType();
        }
        if (response.code() == 200 && request.url().encodedPath().endsWith("/commit")) {
            observer.accepted(this, Json.mapper().readValue(body, CommitResponse.class));
        }
        return response.newBuilder().body(ResponseBody.create(body, type)).build();
    }

    /** Parallel transfers would let threads race for the seeded faults and make a run irreproducible. */
    private void requireOwnerThread() {
        if (Thread.currentThread() != owner) {
            throw new AssertionError("a transfer ran on thread " + Thread.currentThread().getName()
                    + ", not the simulation's: the run would not be reproducible (keep simulated passes under one"
                    + " pack of transfers)");
        }
    }
}
