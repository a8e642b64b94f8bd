package io.syncedfolder.server.service;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.protocol.PackFormat;
import java.util.List;

/** What a fetch of chunks will send, decided before any byte goes out: the whole pack, or nothing. */
public sealed interface FetchPlan {

    /**
     * Every chunk asked for is stored.
     *
     * @param chunks the chunks in the order asked for, duplicates included, with their stored lengths
     */
    record Ready(List<ChunkRef> chunks) implements FetchPlan {
        public Ready {
            chunks = List.copyOf(chunks);
        }

        /** Returns the exact length of the pack: one record header per chunk plus every chunk's bytes. */
        public long contentLength() {
            long length = 0;
            for (ChunkRef chunk : chunks) {
                length += PackFormat.HEADER_BYTES + chunk.size();
            }
            return length;
        }
    }

    /**
     * Nothing will be sent: some chunks asked for are not stored.
     *
     * @param hashes the hashes not stored, once each, in the order asked for
     */
    record Unknown(List<String> hashes) implements FetchPlan {
        public Unknown {
            hashes = List.copyOf(hashes);
        }
    }
}
