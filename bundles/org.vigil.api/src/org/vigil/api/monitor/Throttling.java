package org.vigil.api.monitor;

import java.util.ArrayList;
import java.util.List;

/**
 * The Raspberry Pi firmware's throttling flags ({@code vcgencmd get_throttled}): bits 0 to 3 are what happens now,
 * bits 16 to 19 what happened since boot.
 */
public record Throttling(int bits) {
    private static final String[] NAMES = { "under-voltage", "frequency capped", "throttled",
            "soft temperature limit" };

    public boolean underVoltageNow() {
        return (bits & 0x1) != 0;
    }

    public boolean frequencyCappedNow() {
        return (bits & 0x2) != 0;
    }

    public boolean throttledNow() {
        return (bits & 0x4) != 0;
    }

    public boolean softTemperatureLimitNow() {
        return (bits & 0x8) != 0;
    }

    /** True when any of the four conditions holds now. */
    public boolean activeNow() {
        return (bits & 0xf) != 0;
    }

    /** True when any of them happened since boot. */
    public boolean occurredSinceBoot() {
        return (bits & 0xf0000) != 0;
    }

    /** What holds now, in words ("under-voltage, throttled"); empty when nothing does. */
    public List<String> now() {
        return names(bits);
    }

    /** What happened since boot, in words. */
    public List<String> sinceBoot() {
        return names(bits >>> 16);
    }

    /** {@code 0x50005} as the firmware prints it. */
    public String hex() {
        return "0x" + Integer.toHexString(bits);
    }

    private static List<String> names(int b) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < NAMES.length; i++) {
            if ((b & (1 << i)) != 0) {
                out.add(NAMES[i]);
            }
        }
        return out;
    }
}
