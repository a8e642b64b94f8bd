package io.syncedfolder.client.state;

import io.syncedfolder.client.state.StateStore.StateFile;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import java.io.DataInput;
import java.io.DataOutput;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Writes and reads the client state in a compact binary form. A folder of 100,000 files has a state of
 * 200,000 entries, read at the start of every pass: as JSON that took longer than scanning the folder.
 *
 * <p>Layout: a magic number and format, the server URL, index id and cursor, then the remote entries and the
 * base entries, each list prefixed by its length. Hashes are stored as 32 raw bytes; a file stored as one
 * chunk (all small files) does not repeat its hash for the chunk.
 */
final class StateCodec {
    static final int MAGIC = 0x53465354; // "SFST"
    static final int FORMAT = 2;

    private static final HexFormat HEX = HexFormat.of();
    private static final int DIRECTORY = 1;
    private static final int DELETED = 2;
    private static final int EXECUTABLE = 4;
    private static final int HAS_HASH = 8;
    private static final int HAS_DEVICE = 16;
    private static final int ONE_CHUNK = 32;

    private StateCodec() {
    }

    /** Raised when the bytes are not a state this version can read. */
    static final class UnreadableStateException extends IOException {
        UnreadableStateException(String message) {
            super(message);
        }
    }

    static void write(DataOutput out, StateFile state) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(FORMAT);
        out.writeUTF(state.server());
        writeNullable(out, state.indexId());
        out.writeLong(state.cursor());
        out.writeInt(state.remote().size());
        for (FileEntry entry : state.remote()) {
            write(out, entry);
        }
        out.writeInt(state.base().size());
        for (BaseEntry entry : state.base()) {
            write(out, entry);
        }
    }

    static StateFile read(DataInput in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new UnreadableStateException("not a sync state file");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new UnreadableStateException("sync state format " + format + " is not " + FORMAT);
        }
        String server = in.readUTF();
        String indexId = readNullable(in);
        long cursor = in.readLong();
        int remoteCount = count(in);
        List<FileEntry> remote = new ArrayList<>(remoteCount);
        for (int i = 0; i < remoteCount; i++) {
            remote.add(readFileEntry(in));
        }
        int baseCount = count(in);
        List<BaseEntry> base = new ArrayList<>(baseCount);
        int twin = 0;
        for (int i = 0; i < baseCount; i++) {
            String path = in.readUTF();
            // Both lists are in path order: walk the remote one alongside to find this path's remote entry.
            while (twin < remote.size() && remote.get(twin).path().compareTo(path) < 0) {
                twin++;
            }
            FileEntry same = twin < remote.size() && remote.get(twin).path().equals(path) ? remote.get(twin) : null;
            base.add(readBaseEntry(in, path, same));
        }
        return new StateFile(FORMAT, server, indexId, cursor, remote, base);
    }

    private static void write(DataOutput out, FileEntry entry) throws IOException {
        out.writeUTF(entry.path());
        int flags = flags(entry.kind(), entry.executable(), entry.sha256(), entry.size(), entry.chunks())
                | (entry.deleted() ? DELETED : 0) | (entry.device() != null ? HAS_DEVICE : 0);
        out.writeByte(flags);
        out.writeLong(entry.version());
        writeContent(out, flags, entry.sha256(), entry.size(), entry.mtime(), entry.chunks());
        if (entry.device() != null) {
            out.writeUTF(entry.device());
        }
    }

    private static FileEntry readFileEntry(DataInput in) throws IOException {
        String path = in.readUTF();
        int flags = in.readByte();
        long version = in.readLong();
        Content content = readContent(in, flags);
        String device = (flags & HAS_DEVICE) != 0 ? in.readUTF() : null;
        return new FileEntry(path, kind(flags), (flags & DELETED) != 0, version, content.sha256, content.size,
                content.mtime, (flags & EXECUTABLE) != 0, content.chunks, device);
    }

    private static void write(DataOutput out, BaseEntry entry) throws IOException {
        out.writeUTF(entry.path());
        int flags = flags(entry.kind(), entry.executable(), entry.sha256(), entry.size(), entry.chunks());
        out.writeByte(flags);
        out.writeLong(entry.version());
        writeContent(out, flags, entry.sha256(), entry.size(), entry.mtime(), entry.chunks());
        out.writeLong(entry.hashedAt());
    }

    /**
     * Reads a base entry after its path. Where it names the same content as {@code remote} (nearly always),
     * it shares that entry's strings and chunk list: a large folder's state then takes about half the memory.
     */
    private static BaseEntry readBaseEntry(DataInput in, String path, FileEntry remote) throws IOException {
        int flags = in.readByte();
        long version = in.readLong();
        Content content = readContent(in, flags);
        long hashedAt = in.readLong();
        boolean sameContent = remote != null && content.sha256 != null && content.sha256.equals(remote.sha256())
                && content.chunks.equals(remote.chunks());
        return new BaseEntry(remote != null ? remote.path() : path, kind(flags), version,
                sameContent ? remote.sha256() : content.sha256, content.size, content.mtime,
                (flags & EXECUTABLE) != 0, sameContent ? remote.chunks() : content.chunks, hashedAt);
    }

    private static int flags(EntryKind kind, boolean executable, String sha256, long size, List<ChunkRef> chunks) {
        boolean oneChunk = sha256 != null && chunks.size() == 1 && chunks.get(0).sha256().equals(sha256)
                && chunks.get(0).size() == size;
        return (kind == EntryKind.DIRECTORY ? DIRECTORY : 0) | (executable ? EXECUTABLE : 0)
                | (sha256 != null ? HAS_HASH : 0) | (oneChunk ? ONE_CHUNK : 0);
    }

    private record Content(String sha256, long size, long mtime, List<ChunkRef> chunks) {
    }

    private static void writeContent(DataOutput out, int flags, String sha256, long size, long mtime,
                                     List<ChunkRef> chunks) throws IOException {
        if (sha256 != null) {
            out.write(HEX.parseHex(sha256));
        }
        out.writeLong(size);
        out.writeLong(mtime);
        if ((flags & ONE_CHUNK) == 0) {
            out.writeInt(chunks.size());
            for (ChunkRef chunk : chunks) {
                out.write(HEX.parseHex(chunk.sha256()));
                out.writeLong(chunk.size());
            }
        }
    }

    private static Content readContent(DataInput in, int flags) throws IOException {
        String sha256 = (flags & HAS_HASH) != 0 ? readHash(in) : null;
        long size = in.readLong();
        long mtime = in.readLong();
        if ((flags & ONE_CHUNK) != 0) {
            return new Content(sha256, size, mtime, List.of(new ChunkRef(sha256, size)));
        }
        int count = count(in);
        List<ChunkRef> chunks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            chunks.add(new ChunkRef(readHash(in), in.readLong()));
        }
        return new Content(sha256, size, mtime, chunks);
    }

    private static String readHash(DataInput in) throws IOException {
        byte[] raw = new byte[32];
        in.readFully(raw);
        return HEX.formatHex(raw);
    }

    private static EntryKind kind(int flags) {
        return (flags & DIRECTORY) != 0 ? EntryKind.DIRECTORY : EntryKind.FILE;
    }

    private static int count(DataInput in) throws IOException {
        int count = in.readInt();
        if (count < 0) {
            throw new UnreadableStateException("a negative count in the sync state");
        }
        return count;
    }

    private static void writeNullable(DataOutput out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    private static String readNullable(DataInput in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }
}
