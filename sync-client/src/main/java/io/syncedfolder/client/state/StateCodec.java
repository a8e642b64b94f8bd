package io.syncedfolder.client.state;

import io.syncedfolder.client.state.StateStore.StateFile;
import io.syncedfolder.common.ChunkRef;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import java.io.ByteArrayInputStream;
import java.io.DataInput;
import java.io.DataInputStream;
import java.io.DataOutput;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

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
        EntryReader reader = new EntryReader(in);
        int remoteCount = count(in);
        List<FileEntry> remote = new ArrayList<>(remoteCount);
        for (int i = 0; i < remoteCount; i++) {
            remote.add(reader.fileEntry());
        }
        int baseCount = count(in);
        List<BaseEntry> base = new ArrayList<>(baseCount);
        int twin = 0;
        for (int i = 0; i < baseCount; i++) {
            // Both lists are in path order: walk the remote one alongside to find this path's remote entry,
            // which is nearly always the next one.
            String path = reader.path(twin < remote.size() ? remote.get(twin).path() : null);
            while (twin < remote.size() && remote.get(twin).path().compareTo(path) < 0) {
                twin++;
            }
            FileEntry same = twin < remote.size() && remote.get(twin).path().equals(path) ? remote.get(twin) : null;
            if (same != null) {
                twin++;
            }
            base.add(reader.baseEntry(path, same));
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

    private static void write(DataOutput out, BaseEntry entry) throws IOException {
        out.writeUTF(entry.path());
        int flags = flags(entry.kind(), entry.executable(), entry.sha256(), entry.size(), entry.chunks());
        out.writeByte(flags);
        out.writeLong(entry.version());
        writeContent(out, flags, entry.sha256(), entry.size(), entry.mtime(), entry.chunks());
        out.writeLong(entry.hashedAt());
    }

    private static int flags(EntryKind kind, boolean executable, String sha256, long size, List<ChunkRef> chunks) {
        boolean oneChunk = sha256 != null && chunks.size() == 1 && chunks.get(0).sha256().equals(sha256)
                && chunks.get(0).size() == size;
        return (kind == EntryKind.DIRECTORY ? DIRECTORY : 0) | (executable ? EXECUTABLE : 0)
                | (sha256 != null ? HAS_HASH : 0) | (oneChunk ? ONE_CHUNK : 0);
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

    /**
     * Reads the entries of one state file. It keeps what the entries share (the hash buffer, the device names)
     * and hands the content of the entry just read from one step to the next in its fields, so reading a
     * large state makes no garbage per entry beyond the strings read.
     */
    private static final class EntryReader {
        private final DataInput in;
        private final byte[] raw = new byte[32];
        /** A path as {@link DataOutput#writeUTF} wrote it: its length in two bytes, then its modified UTF-8. */
        private byte[] utf = new byte[256];
        /** A folder's entries name a handful of devices: one string each, not one per entry. */
        private final Map<String, String> devices = new HashMap<>();
        private String sha256;
        private long size;
        private long mtime;
        private List<ChunkRef> chunks;

        EntryReader(DataInput in) {
            this.in = in;
        }

        FileEntry fileEntry() throws IOException {
            String path = path(null);
            int flags = in.readByte();
            long version = in.readLong();
            readContent(flags, null);
            String device = (flags & HAS_DEVICE) != 0 ? devices.computeIfAbsent(in.readUTF(), name -> name) : null;
            return new FileEntry(path, kind(flags), (flags & DELETED) != 0, version, sha256, size, mtime,
                    (flags & EXECUTABLE) != 0, chunks, device);
        }

        /**
         * Reads a path, as {@link DataInput#readUTF} does; if it is {@code expected} (may be null), returns
         * that string rather than a new one.
         */
        String path(String expected) throws IOException {
            int length = in.readUnsignedShort();
            if (utf.length < length + 2) {
                utf = new byte[length + 2];
            }
            utf[0] = (byte) (length >> 8);
            utf[1] = (byte) length;
            in.readFully(utf, 2, length);
            boolean ascii = true; // one byte per character, 1 to 127
            boolean same = expected != null && expected.length() == length;
            for (int i = 0; i < length; i++) {
                byte b = utf[i + 2];
                ascii &= b > 0;
                same = same && b > 0 && b == expected.charAt(i);
            }
            if (same) {
                return expected;
            }
            return ascii ? new String(utf, 2, length, StandardCharsets.ISO_8859_1)
                    : new DataInputStream(new ByteArrayInputStream(utf, 0, length + 2)).readUTF();
        }

        /**
         * Reads a base entry after its path. Where it names the same content as {@code remote} (nearly
         * always), it shares that entry's path, hash and chunk list: a large folder's state then takes about
         * half the memory.
         */
        BaseEntry baseEntry(String path, FileEntry remote) throws IOException {
            int flags = in.readByte();
            long version = in.readLong();
            readContent(flags, remote);
            long hashedAt = in.readLong();
            return new BaseEntry(remote != null ? remote.path() : path, kind(flags), version, sha256, size, mtime,
                    (flags & EXECUTABLE) != 0, chunks, hashedAt);
        }

        /**
         * Reads a content description into the fields; a hash or chunk list equal to that of {@code known}
         * (may be null) is taken from it rather than built again.
         */
        private void readContent(int flags, FileEntry known) throws IOException {
            sha256 = (flags & HAS_HASH) != 0 ? readHash(known != null ? known.sha256() : null) : null;
            size = in.readLong();
            mtime = in.readLong();
            List<ChunkRef> knownChunks = known != null ? known.chunks() : null;
            if ((flags & ONE_CHUNK) != 0) {
                chunks = knownChunks != null && knownChunks.size() == 1 && knownChunks.get(0).size() == size
                        && knownChunks.get(0).sha256().equals(sha256)
                        ? knownChunks : List.of(new ChunkRef(sha256, size));
                return;
            }
            int count = count(in);
            List<ChunkRef> read = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                read.add(new ChunkRef(readHash(null), in.readLong()));
            }
            chunks = read.equals(knownChunks) ? knownChunks : read;
        }

        private String readHash(String known) throws IOException {
            in.readFully(raw);
            return known != null && sameHash(raw, known) ? known : HEX.formatHex(raw);
        }
    }

    /** Returns true if {@code hex} is the lowercase hex form of {@code raw}. */
    private static boolean sameHash(byte[] raw, String hex) {
        if (hex.length() != 2 * raw.length) {
            return false;
        }
        for (int i = 0; i < raw.length; i++) {
            if (hex.charAt(2 * i) != HEX.toLowHexDigit(raw[i] >> 4)
                    || hex.charAt(2 * i + 1) != HEX.toLowHexDigit(raw[i])) {
                return false;
            }
        }
        return true;
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
