package io.syncedfolder.client.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TransfersTest {
    @Test
    void packsEndAtTheirCountOrTheirWeightAndAHeavyItemGoesAlone() {
        List<Integer> weights = List.of(1, 1, 1, 1, 1, 9, 20, 2, 2);

        assertThat(Transfers.packs(weights, Integer::longValue, 10, 3)).containsExactly(
                List.of(1, 1, 1), List.of(1, 1), List.of(9), List.of(20), List.of(2, 2));
        assertThat(Transfers.packs(List.<Integer>of(), Integer::longValue, 10, 3)).isEmpty();
    }
}
