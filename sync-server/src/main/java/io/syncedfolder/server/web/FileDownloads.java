package io.syncedfolder.server.web;

import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.FileEntry;
import io.syncedfolder.common.PathRules;
import io.syncedfolder.server.blob.BlobContent;
import io.syncedfolder.server.blob.BlobStore;
import io.syncedfolder.server.index.FileIndex;
import io.syncedfolder.server.service.HistoryService;
import io.syncedfolder.server.service.InvalidRequestException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Finds a file version to download and streams it, chunk after chunk straight from the blob store, so a file of
 * any size passes through a fixed buffer.
 */
public final class FileDownloads {
    private static final String FALLBACK_TYPE = "application/octet-stream";

    private final FileIndex index;
    private final BlobStore blobs;
    private final HistoryService history;

    public FileDownloads(FileIndex index, BlobStore blobs, HistoryService history) {
        this.index = Objects.requireNonNull(index, "index");
        this.blobs = Objects.requireNonNull(blobs, "blobs");
        this.history = Objects.requireNonNull(history, "history");
    }

    /** What {@link #find} found. */
    public sealed interface Lookup permits Found, NotFound, ContentMissing {
    }

    /** A live file version whose chunks are all stored: ready to {@link #send}. */
    public record Found(FileEntry entry) implements Lookup {
    }

    /** No such file, or not that version of it; {@code detail} says which, for people. */
    public record NotFound(String detail) implements Lookup {
    }

    /** The index has the version but the blob store lacks chunks of it: a fault of the server, not the request. */
    public record ContentMissing(FileEntry entry, List<String> hashes) implements Lookup {
        public ContentMissing {
            hashes = List.copyOf(hashes);
        }
    }

    /**
     * Returns the version of file {@code path} to download: the current one, or {@code version} if given.
     *
     * @throws InvalidRequestException if the path is missing or breaks the path rules, or the version is below 1
     */
    public Lookup find(String path, Long version) {
        if (path == null || path.isEmpty()) {
            throw InvalidRequestException.badRequest("path is required");
        }
        PathRules.problem(path).ifPresent(problem -> {
            throw InvalidRequestException.badPath("bad path \"" + path + "\": " + problem);
        });
        if (version != null && version < 1) {
            throw InvalidRequestException.badRequest("version must be at least 1, not " + version);
        }
        Optional<FileEntry> found = version == null ? index.get(path) : history.version(path, version);
        if (found.isEmpty()) {
            return new NotFound(version == null ? "the server has no file \"" + path + "\""
                    : "version " + version + " of \"" + path + "\" is not kept");
        }
        FileEntry entry = found.get();
        if (!entry.isLiveFile()) {
            String what = entry.deleted() ? "was deleted" : "is a folder";
            return new NotFound("\"" + path + "\" " + what + (version == null ? "" : " in version " + version));
        }
        List<String> missing = BlobStore.missing(entry.chunks().stream().map(ChunkRef::sha256).toList(), blobs::has);
        return missing.isEmpty() ? new Found(entry) : new ContentMissing(entry, missing);
    }

    /**
     * Writes the file's content to {@code out}, chunk by chunk.
     *
     * @throws IOException if a chunk cannot be read (it vanished since {@link #find}) or the receiver went away;
     *                     the receiver then has fewer bytes than the length it was told
     */
    public void send(FileEntry entry, OutputStream out) throws IOException {
        byte[] buffer = new byte[128 * 1024];
        for (ChunkRef chunk : entry.chunks()) {
            Optional<BlobContent> blob = blobs.open(chunk.sha256());
            if (blob.isEmpty()) {
                throw new IOException("chunk " + chunk.sha256() + " of " + entry.path() + " is no longer stored");
            }
            try (BlobContent content = blob.get()) {
                InputStream in = content.content();
                int n;
                while ((n = in.read(buffer)) > 0) {
                    out.write(buffer, 0, n);
                }
            }
        }
        out.flush();
    }

    /** Returns the media type for a file name by its extension, {@value #FALLBACK_TYPE} when unknown. */
    public static String contentType(String name) {
        String type = URLConnection.getFileNameMap().getContentTypeFor(name);
        return type == null ? FALLBACK_TYPE : type;
    }

    /**
     * Returns a {@code Content-Disposition} value that makes a browser save the file under {@code name}: a plain
     * ASCII {@code filename} for old agents, and the exact name as {@code filename*} (RFC 6266, RFC 8187).
     */
    public static String contentDisposition(String name) {
        StringBuilder ascii = new StringBuilder();
        name.codePoints().forEach(c -> ascii.append(c >= 0x20 && c < 0x7f && c != '"' && c != '\\' ? (char) c : '_'));
        return "attachment; filename=\"" + ascii + "\"; filename*=UTF-8''" + percentEncode(name);
    }

    /** Encodes everything but RFC 8187's attr-chars, byte by byte in UTF-8. */
    private static String percentEncode(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || "!#$&+-.^_`|~".indexOf(c) >= 0) {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            }
        }
        return out.toString();
    }
}
