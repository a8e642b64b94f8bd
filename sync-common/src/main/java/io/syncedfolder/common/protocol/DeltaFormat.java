package io.syncedfolder.common.protocol;

/**
 * The framing of a delta: one chunk's bytes described against another chunk the receiver already holds (its
 * base), so that a small edit inside a large chunk costs a few bytes on the wire instead of the whole chunk.
 *
 * <p>A delta is a sequence of records and nothing else; it ends where the stream ends. A copy record is the byte
 * {@value #COPY}, then the offset in the base and the length, each a 4-byte big-endian integer: the next bytes of
 * the chunk are those of the base. A literal record is the byte {@value #LITERAL}, a 4-byte big-endian length,
 * then exactly that many bytes of the chunk. Written by {@link DeltaWriter}, read by {@link DeltaReader}; the
 * receiver checks the rebuilt chunk against its SHA-256, so a wrong base or a wrong delta is never kept.
 */
public final class DeltaFormat {
    /** The media type of a delta body. */
    public static final String MEDIA_TYPE = "application/x-synced-folder-delta";
    /** The tag of a copy record. */
    public static final byte COPY = 'C';
    /** The tag of a literal record. */
    public static final byte LITERAL = 'L';
    /** Chunks larger than this are neither sent nor rebuilt as deltas: both sides hold a chunk in memory. */
    public static final int MAX_CHUNK_BYTES = 8 * 1024 * 1024;

    private DeltaFormat() {
    }
}
