package org.vigil.restream.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Map;

/**
 * The re-stream's settings (Configuration Admin PID {@value #PID}): {@code enabled} (default on), {@code address}
 * (default {@code 127.0.0.1}), {@code port} (default 8554) and {@code plainBeyondLoopback} (default off: plain
 * {@code rtsp://} carries Basic credentials in clear text, so an address beyond loopback is refused unless the admin
 * turns this on; TLS, {@code rtsps://}, is the next step, docs/RESTREAM.md).
 */
record RestreamSettings(boolean enabled, String address, int port, boolean plainBeyondLoopback) {
    static final String PID = "org.vigil.restream";
    static final int DEFAULT_PORT = 8554;
    static final String DEFAULT_ADDRESS = "127.0.0.1";

    /**
     * Reads the settings; a wrong value is refused with one sentence naming it. {@code testFramework}: without a
     * configured port a free one is taken, so that a test framework never holds the machine's 8554.
     */
    static RestreamSettings of(Map<String, Object> p, boolean testFramework) {
        boolean enabled = bool(p, "enabled", true);
        String address = String.valueOf(p.getOrDefault("address", DEFAULT_ADDRESS)).trim();
        if (address.isEmpty()) {
            address = DEFAULT_ADDRESS;
        }
        int port;
        Object v = p.getOrDefault("port", testFramework ? 0 : DEFAULT_PORT);
        try {
            port = v instanceof Number num ? num.intValue() : Integer.parseInt(String.valueOf(v).trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("restream.port '" + v + "' is not a number; give a port from 1 to"
                    + " 65535 (8554 is the usual RTSP port of a recorder).");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("restream.port " + port + " is outside 1 to 65535.");
        }
        return new RestreamSettings(enabled, address, port, bool(p, "plainBeyondLoopback", false));
    }

    private static boolean bool(Map<String, Object> p, String key, boolean dflt) {
        Object v = p.get(key);
        if (v == null) {
            return dflt;
        }
        if (v instanceof Boolean b) {
            return b;
        }
        String s = String.valueOf(v).trim().toLowerCase(Locale.ROOT);
        return switch (s) {
            case "true", "on", "yes", "1" -> true;
            case "false", "off", "no", "0" -> false;
            default -> throw new IllegalArgumentException("restream." + key + " '" + v + "' is not on or off.");
        };
    }

    /** Whether {@code address} is a loopback address (127.0.0.0/8, ::1, localhost). */
    static boolean isLoopback(String address) {
        try {
            return InetAddress.getByName(address).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** Why these settings must not serve, or null when they may. */
    String refusal() {
        if (!isLoopback(address) && !plainBeyondLoopback) {
            return "The live re-stream does not listen on " + address + ": plain rtsp:// would send passwords in clear"
                    + " text beyond this machine; it listens on 127.0.0.1 instead (set restream.plainBeyondLoopback"
                    + " to on to allow it on a trusted network).";
        }
        return null;
    }
}
