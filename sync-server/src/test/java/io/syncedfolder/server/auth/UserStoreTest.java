package io.syncedfolder.server.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class UserStoreTest {
    @TempDir
    Path data;

    @Test
    void keepsOnlyAHashOfEachTokenInAPrivateFile() throws Exception {
        UserStore store = new UserStore(data);

        UserStore.Issued issued = store.add("alice", 1_764_650_000_000L);

        assertThat(issued.token()).matches("[A-Za-z0-9_-]{43}"); // 256 bits, base64url without padding
        String file = Files.readString(data.resolve("users.json"));
        assertThat(file).doesNotContain(issued.token()).contains("alice",
                HexFormat.of().formatHex(Tokens.hash(issued.token())));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("users.json"))))
                .isEqualTo("rw-------");
        assertThat(store.list()).singleElement().satisfies(user -> {
            assertThat(user.name()).isEqualTo("alice");
            assertThat(user.created()).isEqualTo(1_764_650_000_000L);
            assertThat(user.namespace()).matches("alice\\.[0-9a-f]{16}");
        });
    }

    @Test
    void tokensAreFreshEachTime() throws Exception {
        UserStore store = new UserStore(data);
        String first = store.add("alice", 1).token();
        String second = store.rotate("alice").token();
        String other = store.add("bob", 1).token();

        assertThat(first).isNotEqualTo(second).isNotEqualTo(other);
        assertThat(Tokens.hash(second)).isEqualTo(HexFormat.of().parseHex(store.list().get(0).tokenSha256()));
    }

    @Test
    void aNameRemovedAndAddedAgainGetsANewNamespace() throws Exception {
        UserStore store = new UserStore(data);
        String before = store.add("alice", 1).user().namespace();
        store.remove("alice");

        assertThat(store.add("alice", 2).user().namespace()).isNotEqualTo(before);
    }

    @Test
    void refusesDuplicatesAndUnknownNames() throws Exception {
        UserStore store = new UserStore(data);
        store.add("alice", 1);

        assertThatThrownBy(() -> store.add("alice", 2)).isInstanceOf(UserStore.UserException.class)
                .hasMessageContaining("exists already");
        assertThatThrownBy(() -> store.remove("bob")).hasMessage("no user bob");
        assertThatThrownBy(() -> store.rotate("bob")).hasMessage("no user bob");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Alice", "default", "a b", "../x", "a/b", "é", "x123456789012345678901234567890123"})
    void refusesBadNames(String name) {
        assertThat(Optional.ofNullable(UserRecord.nameProblem(name))).isPresent();
        assertThatThrownBy(() -> new UserStore(data).add(name, 1)).isInstanceOf(UserStore.UserException.class);
        assertThat(data.resolve("users.json")).doesNotExist();
    }

    @Test
    void aMalformedFileIsReportedNotIgnored() throws Exception {
        Files.writeString(data.resolve("users.json"), "{\"version\":1,\"users\":[{\"name\":\"../evil\"}]}");

        assertThatThrownBy(() -> new UserStore(data).list()).hasMessageContaining("not a valid users file");
    }
}
