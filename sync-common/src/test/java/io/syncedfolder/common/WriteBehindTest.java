package io.syncedfolder.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
    @TempDir
    Path dir;

    @Test
    void flushesInTheBackgroundOnceEnoughWasWrittenAndEverythingAtTheEnd() throws IOException {
        try (RecordingChannel channel = new RecordingChannel(open("a"))) {
            WriteBehind flush = new WriteBehind(channel, 100);
            flush.wrote(60);
            flush.close(); // waits for a flush if one ran
            assertThat(channel.forces).isEmpty();

            flush.wrote(60); // 120 written since the start: one background flush of the data only
            flush.close();
            assertThat(channel.forces).containsExactly(false);

            flush.wrote(99);
            flush.finish();
            assertThat(channel.forces).containsExactly(false, true);
        }
    }

    @Test
    void aFailedBackgroundFlushIsThrownByFinishEvenIfTheLastFlushSucceeds() throws IOException {
        try (RecordingChannel channel = new RecordingChannel(open("b"))) {
            channel.failNextForce = new IOException("Input/output error");
            WriteBehind flush = new WriteBehind(channel, 10);
            flush.wrote(10);

            assertThatThrownBy(flush::finish).isSameAs(channel.thrown);
        }
    }

    @Test
    void closeWaitsForARunningFlush() throws Exception {
        try (RecordingChannel channel = new RecordingChannel(open("c"))) {
            channel.holdForce = new CountDownLatch(1);
            WriteBehind flush = new WriteBehind(channel, 10);
            flush.wrote(10);
            Thread closing = new Thread(() -> {
                try {
                    flush.close();
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            closing.start();
            closing.join(200);
            assertThat(closing.isAlive()).as("close returned while the flush was still running").isTrue();

            channel.holdForce.countDown();
            closing.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(closing.isAlive()).isFalse();
            assertThat(channel.forces).containsExactly(false);
        }
    }

    @Test
    void writesGoOnWhileABackgroundFlushRuns() throws Exception {
        try (RecordingChannel channel = new RecordingChannel(open("d"))) {
            channel.holdForce = new CountDownLatch(1);
            WriteBehind flush = new WriteBehind(channel, 10);
            flush.wrote(10);
            for (int i = 0; i < 5; i++) {
                channel.write(ByteBuffer.wrap(new byte[10]));
                flush.wrote(10); // no second flush while the first runs, and no waiting for it
            }
            channel.holdForce.countDown();
            flush.finish();
            assertThat(channel.forces).first().isEqualTo(false);
            assertThat(channel.forces).last().isEqualTo(true);
            assertThat(channel.size()).isEqualTo(50);
        }
    }

    private FileChannel open(String name) throws IOException {
        return FileChannel.open(Files.createFile(dir.resolve(name)), StandardOpenOption.READ, StandardOpenOption.WRITE);
    }

    /** A real file's channel that records each {@code force} and can hold or fail one. */
    private static final class RecordingChannel extends FileChannel {
        final List<Boolean> forces = new ArrayList<>();
        private final FileChannel file;
        IOException failNextForce;
        IOException thrown;
        CountDownLatch holdForce;

        RecordingChannel(FileChannel file) {
            this.file = file;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            try {
                if (holdForce != null && !holdForce.await(10, TimeUnit.SECONDS)) {
                    throw new AssertionError("the test never let the flush go on");
                }
            } catch (InterruptedException e) {
                throw new AssertionError(e);
            }
            synchronized (forces) {
                forces.add(metaData);
            }
            if (failNextForce != null) {
                thrown = failNextForce;
                failNextForce = null;
                throw thrown;
            }
            file.force(metaData);
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return file.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return file.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return file.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return file.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return file.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            file.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return file.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            file.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return file.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return file.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return file.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return file.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return file.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return file.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return file.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            file.close();
        }
    }
}
