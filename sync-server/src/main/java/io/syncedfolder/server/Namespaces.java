package io.syncedfolder.server;

import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.index.RetentionPolicy;
import io.syncedfolder.server.service.CommitGate;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every namespace of the data directory. All that exist on disk are opened at start, so the garbage collector
 * sees the references of every one, a removed user's included; a new user's namespace is opened (and created) on
 * its first request.
 */
final class Namespaces implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Namespaces.class);
    /** "default", or an account's name with its random suffix ({@code alice.0123456789abcdef}). */
    static final Pattern ID = Pattern.compile("default|[a-z0-9_-]{1,32}\\.[0-9a-f]{16}");

    private final DataDir dataDir;
    private final BlobStore blobs;
    private final RetentionPolicy retention;
    private final Clock clock;
    private final CommitGate gate = new CommitGate();
    private final Map<String, Namespace> open = new ConcurrentHashMap<>();
    private boolean closed;

    private Namespaces(DataDir dataDir, BlobStore blobs, RetentionPolicy retention, Clock clock) {
        this.dataDir = dataDir;
        this.blobs = blobs;
        this.retention = retention;
        this.clock = clock;
    }

    /** Opens every namespace in {@code dataDir}; on failure closes those already open. */
    static Namespaces open(DataDir dataDir, BlobStore blobs, RetentionPolicy retention, Clock clock)
            throws IOException {
        Namespaces namespaces = new Namespaces(dataDir, blobs, retention, clock);
        try {
            for (String id : dataDir.namespaceNames()) {
                if (ID.matcher(id).matches()) {
                    namespaces.get(id);
                } else {
                    LOG.warn("ignoring {}: not a namespace this server made", dataDir.root().resolve("namespaces")
                            .resolve(id));
                }
            }
        } catch (IOException | RuntimeException e) {
            namespaces.close();
            throw e;
        }
        return namespaces;
    }

    /** Returns namespace {@code id}, opening (and if need be creating) it. */
    Namespace get(String id) throws IOException {
        Namespace namespace = open.get(id);
        if (namespace != null) {
            return namespace;
        }
        if (!ID.matcher(id).matches()) {
            throw new IllegalArgumentException("not a namespace id: " + id);
        }
        synchronized (this) {
            if (closed) {
                throw new IOException("the server is stopping");
            }
            namespace = open.get(id);
            if (namespace == null) {
                namespace = Namespace.open(id, dataDir.namespace(id), blobs, retention, clock, gate);
                open.put(id, namespace);
            }
            return namespace;
        }
    }

    /** Returns the index of every open namespace. */
    List<FileIndex> indexes() {
        List<FileIndex> indexes = new ArrayList<>();
        for (Namespace namespace : open.values()) {
            indexes.add(namespace.index());
        }
        return indexes;
    }

    /** Returns the paths held by every namespace together, deleted ones included. */
    long entries() {
        long entries = 0;
        for (Namespace namespace : open.values()) {
            entries += namespace.index().size();
        }
        return entries;
    }

    CommitGate gate() {
        return gate;
    }

    /** Closes every namespace; the first failure is thrown once all were tried. */
    @Override
    public synchronized void close() throws IOException {
        closed = true;
        IOException failure = null;
        for (Namespace namespace : open.values()) {
            try {
                namespace.close();
            } catch (IOException e) {
                if (failure == null) {
                    failure = e;
                } else {
                    failure.addSuppressed(e);
                }
            }
        }
        open.clear();
        if (failure != null) {
            throw failure;
        }
    }
}
