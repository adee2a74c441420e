package org.vigil.monitor.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.vigil.api.monitor.AlertEvent;
import org.vigil.api.monitor.AlertKind;

/** Temperature and throttling alerts from a Raspberry Pi's thermal and firmware files (fixture copies). */
class HostAlertsTest {
    @TempDir
    Path tmp;

    @Test
    void temperatureAboveEightyRaisesAndCoolingClears() throws Exception {
        Path pi = Fixtures.copy("rpi4", tmp);
        Path temp = pi.resolve("sys/class/thermal/thermal_zone0/temp");
        Fixtures.write(pi.resolve("sys/devices/platform/soc/soc:firmware/get_throttled"), "0\n");
        ManualClock clock = ManualClock.atWholeMinute();
        HealthMonitor m = new HealthMonitor(new HostProbe(pi, false), new ProcessProbe(pi), List::of, clock,
                MonitorConfig.defaults(tmp.resolve("recordings")));

        Fixtures.write(temp, "79900\n");
        m.sample();
        assertFalse(m.alerts().isActive(AlertKind.TEMPERATURE_HIGH, "host"));

        Fixtures.write(temp, "85012\n");
        clock.advance(Duration.ofSeconds(2));
        m.sample();
        assertTrue(m.alerts().isActive(AlertKind.TEMPERATURE_HIGH, "host"));
        assertEquals("The SoC temperature is 85.0 °C, above 80.0 °C: the board slows down and may drop frames;"
                + " improve its cooling (a heatsink or fan, free air around the case).",
                m.alerts().active().get(0).message());

        Fixtures.write(temp, "77500\n"); // below the limit but within 5 °C of it: the alert holds
        clock.advance(Duration.ofSeconds(2));
        m.sample();
        assertTrue(m.alerts().isActive(AlertKind.TEMPERATURE_HIGH, "host"));

        Fixtures.write(temp, "74000\n");
        clock.advance(Duration.ofSeconds(2));
        m.sample();
        assertFalse(m.alerts().isActive(AlertKind.TEMPERATURE_HIGH, "host"));
        AlertEvent cleared = m.alerts().recent().get(1);
        assertEquals(AlertEvent.Type.CLEARED, cleared.type());
        assertEquals("The SoC temperature is down to 74.0 °C.", cleared.message());
        assertEquals(clock.instant(), cleared.time());
    }

    @Test
    void underVoltageRaisesAndAGoodSupplyClears() throws Exception {
        Path pi = Fixtures.copy("rpi4", tmp);
        Path flags = pi.resolve("sys/devices/platform/soc/soc:firmware/get_throttled");
        ManualClock clock = ManualClock.atWholeMinute();
        HealthMonitor m = new HealthMonitor(new HostProbe(pi, false), new ProcessProbe(pi), List::of, clock,
                MonitorConfig.defaults(tmp.resolve("recordings")));
        m.sample(); // the fixture says 50005: under-voltage and throttled now
        assertTrue(m.alerts().isActive(AlertKind.THROTTLED, "host"));
        assertEquals("The Raspberry Pi reports under-voltage, throttled now (get_throttled=0x50005): use a power"
                + " supply that gives enough current.", m.alerts().active().get(0).message());

        Fixtures.write(flags, "50000\n"); // happened since boot, not now
        clock.advance(Duration.ofSeconds(2));
        m.sample();
        assertFalse(m.alerts().isActive(AlertKind.THROTTLED, "host"));
        assertEquals(List.of("under-voltage", "throttled"),
                m.current().orElseThrow().host().throttling().orElseThrow().sinceBoot());

        Fixtures.write(flags, "80008\n"); // soft temperature limit only: cooling, not power
        clock.advance(Duration.ofSeconds(2));
        m.sample();
        assertTrue(m.alerts().active().get(0).message().endsWith("soft temperature limit now (get_throttled=0x80008):"
                + " improve the cooling."));
    }

    @Test
    void noThermalZoneAndNoFirmwareMeanNoHostAlerts() throws Exception {
        Path old = Fixtures.copy("rpi-no-thermal", tmp);
        HealthMonitor m = new HealthMonitor(new HostProbe(old, false), new ProcessProbe(old), List::of,
                ManualClock.atWholeMinute(), MonitorConfig.defaults(tmp.resolve("recordings")));
        m.sample();
        assertTrue(m.current().orElseThrow().host().temperatureCelsius().isEmpty());
        assertTrue(m.alerts().active().stream().noneMatch(a -> StatusText.HOST_ALERTS.contains(a.kind())));
    }
}
