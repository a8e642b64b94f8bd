package io.syncedfolder.common;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class IdleMemoryTest {
    @Test
    void theJvmIsAskedToCollectAfterTenIdleSeconds() {
        HotSpotDiagnosticMXBean vm = ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class);
        String before = vm.getVMOption("G1PeriodicGCInterval").getValue();
        try {
            assertThat(IdleMemory.returnWhenIdle()).isTrue();

            assertThat(vm.getVMOption("G1PeriodicGCInterval").getValue()).isEqualTo("10000");
        } finally {
            vm.setVMOption("G1PeriodicGCInterval", before);
        }
    }
}
