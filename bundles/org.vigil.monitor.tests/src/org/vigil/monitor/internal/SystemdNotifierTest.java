package org.vigil.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Optional;

import org.junit.jupiter.api.Test;

/** Which watchdog systemd asks for (the notifications themselves: SystemdNotifyTest of the distribution tests). */
class SystemdNotifierTest {
    @Test
    void theWatchdogIntervalIsTakenOnlyWhenItIsMeantForThisProcess() {
        assertEquals(Optional.of(Duration.ofSeconds(30)), SystemdNotifier.watchdog("30000000", null, 42));
        assertEquals(Optional.of(Duration.ofSeconds(30)), SystemdNotifier.watchdog("30000000", "42", 42));
        assertTrue(SystemdNotifier.watchdog("30000000", "41", 42).isEmpty(), "meant for another process");
        assertTrue(SystemdNotifier.watchdog(null, null, 42).isEmpty(), "no watchdog asked for");
        assertTrue(SystemdNotifier.watchdog("0", null, 42).isEmpty());
        assertTrue(SystemdNotifier.watchdog("soon", null, 42).isEmpty(), "garbage is no watchdog");
    }
}
