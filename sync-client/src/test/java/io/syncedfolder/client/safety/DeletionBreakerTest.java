package io.syncedfolder.client.safety;

import static org.assertj.core.api.Assertions.assertThat;

import io.syncedfolder.client.plan.Action;
import io.syncedfolder.client.plan.Action.DeleteLocal;
import io.syncedfolder.client.plan.Action.DeleteRemote;
import io.syncedfolder.client.plan.Plan;
import io.syncedfolder.client.scan.LocalFile;
import io.syncedfolder.common.EntryKind;
import io.syncedfolder.common.FileEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class DeletionBreakerTest {
    private final DeletionBreaker breaker = new DeletionBreaker(50);

    @ParameterizedTest(name = "{0} of {1} deleted here -> trips: {2}")
    @CsvSource({
        "10, 10, false",   // not more than 10 files, however large the share
        "11, 11, true",
        "11, 22, false",   // exactly 50 % is not more than 50 %
        "12, 22, true",
        "500, 10000, false",
        "5001, 10000, true",
    })
    void outgoingDeletionsTripOnlyAboveBothLimits(int deleted, long synced, boolean trips) {
        List<String> refusals = breaker.check(plan(deleted, 0), () -> synced);
        assertThat(refusals).hasSize(trips ? 1 : 0);
        if (trips) {
            assertThat(refusals.get(0)).contains(String.format(Locale.ROOT, "stopped before deleting %,d of", deleted))
                    .contains("on the server").contains("--allow-mass-delete").contains("--max-delete-percent");
        }
    }

    @Test
    void incomingDeletionsNameTheDevicesThatDeleted() {
        List<String> refusals = breaker.check(plan(0, 30), () -> 40);
        assertThat(refusals).singleElement().asString()
                .startsWith("stopped before deleting 30 of 40 synced files here (75 %)")
                .contains("deleted on laptop").contains("restore them");
    }

    @Test
    void bothDirectionsAreReportedEachOnItsOwnLine() {
        assertThat(breaker.check(plan(20, 20), () -> 30)).hasSize(2);
    }

    @Test
    void foldersDoNotCountAsFiles() {
        List<Action> actions = new ArrayList<>();
        IntStream.range(0, 50).forEach(i -> actions.add(new DeleteRemote("d" + i, EntryKind.DIRECTORY, 3, "rule")));
        assertThat(breaker.check(new Plan(actions), () -> 1)).isEmpty();
    }

    @Test
    void aHundredPercentLimitNeverTrips() {
        assertThat(new DeletionBreaker(100).check(plan(1000, 0), () -> 1000)).isEmpty();
    }

    @Test
    void theSyncedFileCountIsNotAskedForSmallPlans() {
        assertThat(breaker.check(plan(10, 10), () -> {
            throw new AssertionError("counted the base for a small plan");
        })).isEmpty();
    }

    private static Plan plan(int deletedHere, int deletedThere) {
        List<Action> actions = new ArrayList<>();
        for (int i = 0; i < deletedHere; i++) {
            actions.add(new DeleteRemote("here/" + i, EntryKind.FILE, 3, "deleted here, unchanged on the server"));
        }
        for (int i = 0; i < deletedThere; i++) {
            String path = "there/" + i;
            LocalFile local = new LocalFile(path, path, EntryKind.FILE, 1, 1000, false, "a".repeat(64), List.of());
            FileEntry tombstone = new FileEntry(path, EntryKind.FILE, true, 9, null, 0, 1, false, List.of(), "laptop");
            actions.add(new DeleteLocal(path, local, tombstone, "deleted on the server, unchanged here"));
        }
        return new Plan(actions);
    }
}
