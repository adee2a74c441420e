package org.vigil.monitor.internal;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.vigil.api.monitor.HostReading;
import org.vigil.api.monitor.Throttling;

/**
 * Readings of the machine from the kernel's files under {@code root} ({@code /} on a real system, a folder of
 * fixture copies in tests): CPU from {@code proc/stat}, memory from {@code proc/meminfo}, load from
 * {@code proc/loadavg}, the SoC temperature from {@code sys/class/thermal} and the Raspberry Pi's throttling flags
 * from the firmware's {@code get_throttled} file, or {@code vcgencmd get_throttled} where only that exists.
 * Not thread-safe: one sampler uses it.
 */
final class HostProbe {
    private static final Logger LOG = System.getLogger(HostProbe.class.getName());
    /** Zone types that are the SoC or the CPU package, best first; other zones are used only when none matches. */
    private static final List<String> SOC_ZONE_TYPES = List.of("cpu-thermal", "cpu_thermal", "soc-thermal",
            "soc_thermal", "x86_pkg_temp", "cpu", "soc", "pkg");
    private static final Duration VCGENCMD_EVERY = Duration.ofSeconds(30);
    private static final Duration VCGENCMD_TIMEOUT = Duration.ofSeconds(2);

    private final Path root;
    private final Optional<Path> throttledFile;
    private final Optional<Path> vcgencmd;
    private CpuTimes previousCpu;
    private Optional<Path> zone = Optional.empty();
    private int zoneRescanCountdown;
    private Optional<Throttling> vcgencmdResult = Optional.empty();
    private long vcgencmdAt = Long.MIN_VALUE;

    /**
     * @param root     {@code /} or a folder holding copies of the kernel files
     * @param vcgencmd whether to run {@code vcgencmd} when the firmware file is missing (only on a real system)
     */
    HostProbe(Path root, boolean vcgencmd) {
        this.root = root;
        this.throttledFile = findThrottledFile(root);
        this.vcgencmd = throttledFile.isEmpty() && vcgencmd ? onPath("vcgencmd") : Optional.empty();
        this.previousCpu = readCpu().orElse(null);
    }

    /** The readings now; CPU use is measured since the previous call (or since construction). */
    HostReading read() {
        double cpuPercent = 0;
        int cpus = Runtime.getRuntime().availableProcessors();
        Optional<CpuTimes> cpu = readCpu();
        if (cpu.isPresent()) {
            cpus = cpu.get().cpus();
            if (previousCpu != null) {
                cpuPercent = cpu.get().percentSince(previousCpu);
            }
            previousCpu = cpu.get();
        }
        long memTotal = 0;
        long memAvailable = 0;
        Optional<String> meminfo = ProcFiles.read(root.resolve("proc/meminfo"));
        if (meminfo.isPresent()) {
            memTotal = Math.max(0, ProcFiles.field(meminfo.get(), "MemTotal")) * 1024;
            long available = ProcFiles.field(meminfo.get(), "MemAvailable");
            if (available < 0) { // kernels before 3.14
                available = Math.max(0, ProcFiles.field(meminfo.get(), "MemFree"))
                        + Math.max(0, ProcFiles.field(meminfo.get(), "Buffers"))
                        + Math.max(0, ProcFiles.field(meminfo.get(), "Cached"));
            }
            memAvailable = available * 1024;
        }
        double[] load = parseLoad(ProcFiles.read(root.resolve("proc/loadavg")).orElse(""));
        return new HostReading(cpuPercent, cpus, memTotal, memAvailable, load[0], load[1], load[2], temperature(),
                throttling());
    }

    private Optional<CpuTimes> readCpu() {
        return ProcFiles.read(root.resolve("proc/stat")).flatMap(CpuTimes::parse);
    }

    static double[] parseLoad(String loadavg) {
        String[] f = loadavg.trim().split("\\s+");
        double[] out = new double[3];
        for (int i = 0; i < 3 && i < f.length; i++) {
            try {
                out[i] = Double.parseDouble(f[i]);
            } catch (NumberFormatException e) {
                out[i] = 0;
            }
        }
        return out;
    }

    /** The SoC temperature in °C; empty when no thermal zone reports one (a PC without the driver, a container). */
    Optional<Double> temperature() {
        if (zone.isPresent()) {
            Optional<Double> t = readZone(zone.get());
            if (t.isPresent()) {
                return t;
            }
            zone = Optional.empty();
        }
        if (zoneRescanCountdown-- > 0) {
            return Optional.empty();
        }
        zone = findZone();
        zoneRescanCountdown = zone.isPresent() ? 0 : 30; // a driver loaded later is found within a minute
        return zone.flatMap(HostProbe::readZone);
    }

    private Optional<Path> findZone() {
        Path thermal = root.resolve("sys/class/thermal");
        if (!Files.isDirectory(thermal)) {
            return Optional.empty();
        }
        List<Path> zones = new ArrayList<>();
        try (DirectoryStream<Path> dir = Files.newDirectoryStream(thermal, "thermal_zone*")) {
            dir.forEach(zones::add);
        } catch (IOException e) {
            return Optional.empty();
        }
        zones.sort((a, b) -> Integer.compare(zoneNumber(a), zoneNumber(b)));
        Path best = null;
        int bestRank = Integer.MAX_VALUE;
        for (Path z : zones) {
            if (readZone(z).isEmpty()) {
                continue;
            }
            String type = ProcFiles.read(z.resolve("type")).orElse("").trim().toLowerCase(Locale.ROOT);
            int rank = SOC_ZONE_TYPES.size();
            for (int i = 0; i < SOC_ZONE_TYPES.size(); i++) {
                if (type.contains(SOC_ZONE_TYPES.get(i))) {
                    rank = i;
                    break;
                }
            }
            if (rank < bestRank) {
                best = z;
                bestRank = rank;
            }
        }
        return Optional.ofNullable(best);
    }

    private static int zoneNumber(Path zone) {
        try {
            return Integer.parseInt(zone.getFileName().toString().substring("thermal_zone".length()));
        } catch (NumberFormatException e) {
            return Integer.MAX_VALUE;
        }
    }

    /** A zone's {@code temp}: millidegrees Celsius; values outside -40..150 °C are a driver's placeholder. */
    static Optional<Double> readZone(Path zone) {
        Optional<String> text = ProcFiles.read(zone.resolve("temp"));
        if (text.isEmpty()) {
            return Optional.empty();
        }
        try {
            double c = Long.parseLong(text.get().trim()) / 1000.0;
            return c < -40 || c > 150 ? Optional.empty() : Optional.of(c);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    Optional<Throttling> throttling() {
        if (throttledFile.isPresent()) {
            return ProcFiles.read(throttledFile.get()).flatMap(HostProbe::parseThrottled);
        }
        if (vcgencmd.isPresent()) {
            long now = System.nanoTime();
            if (vcgencmdAt == Long.MIN_VALUE || now - vcgencmdAt >= VCGENCMD_EVERY.toNanos()) {
                vcgencmdAt = now;
                vcgencmdResult = runVcgencmd(vcgencmd.get());
            }
            return vcgencmdResult;
        }
        return Optional.empty();
    }

    /** {@code throttled=0x50005} (vcgencmd), {@code 50005} (the firmware file, hexadecimal) or {@code 0x0}. */
    static Optional<Throttling> parseThrottled(String text) {
        String s = text.trim();
        int eq = s.indexOf('=');
        if (eq >= 0) {
            s = s.substring(eq + 1).trim();
        }
        if (s.startsWith("0x") || s.startsWith("0X")) {
            s = s.substring(2);
        }
        try {
            return s.isEmpty() ? Optional.empty() : Optional.of(new Throttling((int) Long.parseLong(s, 16)));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> findThrottledFile(Path root) {
        Path usual = root.resolve("sys/devices/platform/soc/soc:firmware/get_throttled");
        if (Files.isReadable(usual)) {
            return Optional.of(usual);
        }
        Path platform = root.resolve("sys/devices/platform");
        if (!Files.isDirectory(platform)) {
            return Optional.empty();
        }
        // other SoC node names (soc@107c000000 on a Raspberry Pi 5 with some kernels)
        try (DirectoryStream<Path> socs = Files.newDirectoryStream(platform, "soc*")) {
            for (Path soc : socs) {
                try (DirectoryStream<Path> fw = Files.newDirectoryStream(soc, "*firmware")) {
                    for (Path f : fw) {
                        Path file = f.resolve("get_throttled");
                        if (Files.isReadable(file)) {
                            return Optional.of(file);
                        }
                    }
                } catch (IOException e) {
                    // not a directory
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    private static Optional<Path> onPath(String command) {
        String path = System.getenv("PATH");
        List<String> dirs = new ArrayList<>(List.of((path == null ? "" : path).split(File.pathSeparator)));
        dirs.add("/usr/bin");
        dirs.add("/opt/vc/bin");
        for (String d : dirs) {
            if (d.isEmpty()) {
                continue;
            }
            Path p = Path.of(d, command);
            if (Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Optional<Throttling> runVcgencmd(Path command) {
        Process p = null;
        try {
            p = new ProcessBuilder(command.toString(), "get_throttled").redirectErrorStream(true).start();
            p.getOutputStream().close();
            if (!p.waitFor(VCGENCMD_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.log(Level.DEBUG, "vcgencmd get_throttled did not answer within {0} s", VCGENCMD_TIMEOUT.toSeconds());
                return Optional.empty();
            }
            try (InputStream in = p.getInputStream()) {
                return parseThrottled(new String(in.readAllBytes(), StandardCharsets.US_ASCII));
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "vcgencmd get_throttled failed: {0}", e.getMessage());
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
        }
    }
}
