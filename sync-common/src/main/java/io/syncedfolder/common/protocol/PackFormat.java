package io.syncedfolder.common.protocol;

/**
 * The framing of a pack: many chunks in one HTTP body, so that thousands of small chunks travel in a few requests.
 *
 * <p>A pack is a sequence of records and nothing else; it ends where the stream ends. One record is the chunk's
 * SHA-256 as 64 lowercase hex ASCII bytes, its length as an 8-byte big-endian integer, then exactly that many
 * bytes of content. Written by {@link PackWriter}, read by {@link PackReader}.
 */
public final class PackFormat {
    /** The media type of a pack body. */
    public static final String MEDIA_TYPE = "application/x-synced-folder-pack";
    /** Bytes of one record's header. */
    public static final int HEADER_BYTES = 64 + Long.BYTES;

    private PackFormat() {
    }
}
