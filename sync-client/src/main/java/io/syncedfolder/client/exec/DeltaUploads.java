package io.syncedfolder.client.exec;

import io.syncedfolder.client.remote.FileRange;
import io.syncedfolder.client.remote.ServerClient;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.protocol.BlockSignature;
import io.syncedfolder.common.protocol.DeltaWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Uploads chunks of edited files as deltas against the chunks they replace, which the server has and this
 * client no longer does: it asks for the old chunk's {@link BlockSignature}, finds its blocks in the new chunk
 * and sends only the rest. Ten bytes inserted in a 1 MiB chunk cost about 12 KiB of signature and 1 KiB of delta.
 */
final class DeltaUploads {
    private static final Logger LOG = LoggerFactory.getLogger(DeltaUploads.class);

    private final ServerClient server;

    DeltaUploads(ServerClient server) {
        this.server = server;
    }

    /** A chunk to upload as a delta against {@code base}, the chunk of the file's last synced version at its place. */
    record Edit(FileRange range, ChunkRef base) {
    }

    /**
     * Sends each edit as a delta, a few at once; returns the chunks sent. The others are to be sent whole: the
     * file changed since the scan, the delta would save little, or the server refused it.
     */
    Set<FileRange> send(List<Edit> edits) throws IOException {
        Set<FileRange> sent = ConcurrentHashMap.newKeySet();
        for (Transfers.Failure<Edit> failure : Transfers.runAll(edits, edit -> {
            if (send(edit)) {
                sent.add(edit.range());
            }
        })) {
            throw failure.error();
        }
        return sent;
    }

    /**
     * Sends one edit as a delta; false if it should be sent whole instead. Only a failure that ends every transfer
     * (the server gone, the token refused) is thrown; anything else, local or remote, falls back.
     */
    private boolean send(Edit edit) throws IOException {
        try {
            Optional<byte[]> chunk = ChunkCopy.read(edit.range());
            if (chunk.isEmpty()) {
                return false; // the file changed: sending it whole finds out and says so
            }
            BlockSignature signature = server.signature(edit.base());
            ByteArrayOutputStream delta = new ByteArrayOutputStream();
            DeltaWriter.write(signature, chunk.get(), delta);
            if (delta.size() > chunk.get().length / 2) { // the signature is paid for either way
                return false;
            }
            server.uploadDelta(edit.range().chunk(), edit.base(), delta.toByteArray());
            return true;
        } catch (IOException e) {
            if (Transfers.isFatal(e) || e instanceof InterruptedIOException) {
                throw e;
            }
            LOG.debug("sending chunk {} whole: no delta ({})", edit.range().chunk().sha256(), e.getMessage());
            return false;
        }
    }
}
