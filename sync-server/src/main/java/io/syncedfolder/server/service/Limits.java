package io.syncedfolder.server.service;

/** The sizes the server accepts in one request; larger requests get a 4xx answer instead of memory pressure. */
public final class Limits {
    /** Changes in one commit. */
    public static final int MAX_CHANGES_PER_COMMIT = 10_000;
    /** Hashes in one "which blobs are missing" question, and in one {@code POST /blobs/fetch}. */
    public static final int MAX_HASHES_PER_QUERY = 10_000;
    /**
     * Bytes of one chunk in a pack ({@code POST /blobs/pack}): twice the chunker's largest chunk, so a record is
     * never refused for a size the client can produce, yet one record cannot hold a whole large file.
     */
    public static final long MAX_PACKED_CHUNK_BYTES = 8L * 1024 * 1024;
    /** Records in one pack: as many as hashes in one query, so one "missing" answer fits in one pack by count. */
    public static final int MAX_CHUNKS_PER_PACK = 10_000;
    /** Entries in one page of the change feed (also the default page size). */
    public static final int MAX_CHANGES_PER_PAGE = 10_000;
    /** Seconds a long poll on the change feed may wait; larger {@code wait} values are cut to this. */
    public static final int MAX_WAIT_SECONDS = 60;
    /** Characters in a device name. */
    public static final int MAX_DEVICE_CHARS = 255;
    /** Bytes of one JSON request body: room for a full commit of long paths with several chunks each. */
    public static final long MAX_JSON_BODY_BYTES = 64L * 1024 * 1024;

    private Limits() {
    }
}
