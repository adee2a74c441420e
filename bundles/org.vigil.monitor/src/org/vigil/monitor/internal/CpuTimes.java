package org.vigil.monitor.internal;

import java.util.Optional;

/**
 * The aggregate {@code cpu} line of /proc/stat, in clock ticks since boot: busy (user, nice, system, irq, softirq,
 * steal) and total (busy plus idle and iowait). Guest time is already counted in user and nice.
 */
record CpuTimes(long busy, long total, int cpus) {

    static Optional<CpuTimes> parse(String stat) {
        long busy = -1;
        long total = -1;
        int cpus = 0;
        int at = 0;
        // the cpu lines come first; the rest (intr with one number per interrupt line, ...) is not split at all
        while (at < stat.length() && stat.startsWith("cpu", at)) {
            int end = stat.indexOf('\n', at);
            if (end < 0) {
                end = stat.length();
            }
            String line = stat.substring(at, end);
            at = end + 1;
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 5) {
                    return Optional.empty();
                }
                long[] v = new long[8];
                for (int i = 1; i < f.length && i <= 8; i++) {
                    try {
                        v[i - 1] = Long.parseLong(f[i]);
                    } catch (NumberFormatException e) {
                        return Optional.empty();
                    }
                }
                // user nice system idle iowait irq softirq steal
                busy = v[0] + v[1] + v[2] + v[5] + v[6] + v[7];
                total = busy + v[3] + v[4];
            } else {
                cpus++;
            }
        }
        return busy < 0 ? Optional.empty() : Optional.of(new CpuTimes(busy, total, Math.max(1, cpus)));
    }

    /** CPU use between {@code earlier} and this reading, percent of all CPUs; 0 when no tick passed. */
    double percentSince(CpuTimes earlier) {
        long dt = total - earlier.total;
        long db = busy - earlier.busy;
        if (dt <= 0 || db < 0) {
            return 0;
        }
        return Math.min(100.0, 100.0 * db / dt);
    }
}
