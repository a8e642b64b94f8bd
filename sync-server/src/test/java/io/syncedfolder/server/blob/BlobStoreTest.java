package io.syncedfolder.server.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.syncedfolder.common.Hashing;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BlobStoreTest {
    private static final byte[] HELLO = "hello".getBytes(StandardCharsets.UTF_8);
    private static final String HELLO_SHA = Hashing.sha256Hex(HELLO);

    @TempDir
    Path root;

    @Test
    void putStoresContentUnderItsHash() throws Exception {
        BlobStore store = BlobStore.open(root);

        assertThat(store.put(HELLO_SHA, new ByteArrayInputStream(HELLO))).isEqualTo(BlobStore.PutResult.STORED);

        assertThat(store.has(HELLO_SHA)).isTrue();
        assertThat(root.resolve(HELLO_SHA.substring(0, 2)).resolve(HELLO_SHA)).hasBinaryContent(HELLO);
        try (BlobContent blob = store.open(HELLO_SHA).orElseThrow()) {
            assertThat(blob.size()).isEqualTo(HELLO.length);
            assertThat(blob.content().readAllBytes()).isEqualTo(HELLO);
        }
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void secondPutOfTheSameContentIsAcceptedAndChangesNothing() throws Exception {
        BlobStore store = BlobStore.open(root);
        store.put(HELLO_SHA, new ByteArrayInputStream(HELLO));

        assertThat(store.put(HELLO_SHA, new ByteArrayInputStream(HELLO)))
                .isEqualTo(BlobStore.PutResult.ALREADY_PRESENT);
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void emptyBlobIsStored() throws Exception {
        BlobStore store = BlobStore.open(root);

        assertThat(store.put(Hashing.EMPTY_SHA256, InputStream.nullInputStream()))
                .isEqualTo(BlobStore.PutResult.STORED);
        assertThat(store.open(Hashing.EMPTY_SHA256).orElseThrow().size()).isZero();
    }

    @Test
    void mismatchingContentStoresNothing() throws IOException {
        BlobStore store = BlobStore.open(root);
        byte[] other = "hellO".getBytes(StandardCharsets.UTF_8);

        assertThatThrownBy(() -> store.put(HELLO_SHA, new ByteArrayInputStream(other)))
                .isInstanceOf(HashMismatchException.class)
                .hasMessageContaining(Hashing.sha256Hex(other));

        assertThat(store.has(HELLO_SHA)).isFalse();
        assertThat(store.open(HELLO_SHA)).isEmpty();
        assertThat(tmpFiles()).isEmpty();
    }

    @Test
    void brokenUploadStreamStoresNothing() throws IOException {
        BlobStore store = BlobStore.open(root);
        InputStream breaksOff = new InputStream() {
            private int sent;

            @Override
            public int read() throws IOException {
                if (sent++ < 3) {
                    return 'x';
                }
                throw new IOException("connection reset");
            }
        };

        assertThatThrownBy(() -> store.put(HELLO_SHA, breaksOff))
                .isInstanceOf(IncompleteUploadException.class)
                .hasMessageContaining("after 3 bytes");
        assertThat(store.has(HELLO_SHA)).isFalse();
        assertThat(tmpFiles()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "abc", "../../../../etc/passwd",
            "2CF24DBA5FB0A30E26E83B2AC5B9E29E1B161E5C1FA7425E73043362938B9824",
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b982g",
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b98240",
            "tm/../2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938"})
    void malformedHashIsRefusedBeforeTouchingTheDisk(String hash) throws IOException {
        BlobStore store = BlobStore.open(root);

        assertThatThrownBy(() -> store.put(hash, new ByteArrayInputStream(HELLO)))
                .isInstanceOf(InvalidHashException.class);
        assertThatThrownBy(() -> store.has(hash)).isInstanceOf(InvalidHashException.class);
        assertThatThrownBy(() -> store.open(hash)).isInstanceOf(InvalidHashException.class);
        assertThatThrownBy(() -> store.missing(List.of(HELLO_SHA, hash))).isInstanceOf(InvalidHashException.class);
        try (Stream<Path> all = Files.walk(root)) {
            assertThat(all.filter(Files::isRegularFile)).isEmpty();
        }
    }

    @Test
    void missingListsAbsentHashesOnceInTheOrderAsked() throws Exception {
        BlobStore store = BlobStore.open(root);
        store.put(HELLO_SHA, new ByteArrayInputStream(HELLO));
        String a = Hashing.sha256Hex("a".getBytes());
        String b = Hashing.sha256Hex("b".getBytes());

        assertThat(store.missing(List.of(b, HELLO_SHA, a, b))).containsExactly(b, a);
        assertThat(store.missing(List.of())).isEmpty();
    }

    @Test
    void openingRemovesUploadsACrashInterrupted() throws IOException {
        BlobStore.open(root);
        Path leftover = Files.writeString(root.resolve("tmp").resolve("upload-123.part"), "half");

        BlobStore.open(root);

        assertThat(leftover).doesNotExist();
    }

    private List<Path> tmpFiles() throws IOException {
        try (Stream<Path> files = Files.list(root.resolve("tmp"))) {
            return files.toList();
        }
    }
}
