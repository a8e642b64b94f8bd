package io.syncedfolder.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {
    @TempDir
    Path dir;

    @Test
    void aFileIsReadableByOthersWhenItsGroupOrOthersMayReadIt() throws IOException {
        Path file = Files.writeString(dir.resolve("token"), "secret");
        for (String mode : new String[] {"rw-r--r--", "rw-r-----", "rw----r--"}) {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
            assertThat(SecretFiles.readableByOthers(file)).as(mode).isTrue();
        }
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        assertThat(SecretFiles.readableByOthers(file)).isFalse();
    }
}
