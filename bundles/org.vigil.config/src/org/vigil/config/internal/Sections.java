package org.vigil.config.internal;

import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vigil.api.camera.CameraId;
import org.vigil.api.config.ApiSettings;
import org.vigil.api.config.BackupSettings;
import org.vigil.api.config.RecordingSettings;
import org.vigil.api.config.RetentionSettings;
import org.vigil.api.config.UiSettings;

/**
 * The settings sections other than cameras ({@code recording}, {@code retention}, {@code backup}, {@code ui}): for
 * each key its type and default (read from the section's annotation in {@code org.vigil.api.config}, so there is one
 * source of truth), the rule its value must follow and a line of help. Parsing turns a user's text or a stored value
 * into the key's type; an invalid value throws {@link IllegalArgumentException} with a sentence naming the setting
 * and the rule.
 */
final class Sections {
    /** One setting of a section. */
    record Key(String sectionName, String name, Class<?> type, Object defaultValue, String rule, String help,
            Predicate<Object> valid, boolean sizeSuffixes) {

        /** {@code section.key}, as users write it. */
        String qualified() {
            return sectionName + "." + name;
        }

        /** Parses a text or typed value into this key's type and checks its rule. */
        Object parse(Object raw) {
            Object v = convert(raw);
            if (!valid.test(v)) {
                throw new IllegalArgumentException("The setting " + qualified() + " must be " + rule + "; got '"
                        + show(v) + "'.");
            }
            return v;
        }

        private Object convert(Object raw) {
            if (raw == null) {
                return defaultValue;
            }
            if (type == String.class) {
                return raw.toString().strip();
            }
            if (type == boolean.class) {
                if (raw instanceof Boolean b) {
                    return b;
                }
                return switch (raw.toString().strip().toLowerCase(Locale.ROOT)) {
                    case "on", "true", "yes", "1" -> Boolean.TRUE;
                    case "off", "false", "no", "0" -> Boolean.FALSE;
                    default -> throw new IllegalArgumentException("The setting " + qualified()
                            + " must be on or off; got '" + raw + "'.");
                };
            }
            if (type == int.class || type == long.class) {
                long n = raw instanceof Number num && !(raw instanceof Float || raw instanceof Double)
                        ? num.longValue() : parseWhole(raw.toString());
                if (type == int.class) {
                    if (n > Integer.MAX_VALUE || n < Integer.MIN_VALUE) {
                        throw new IllegalArgumentException("The setting " + qualified() + " must be " + rule
                                + "; got '" + raw + "'.");
                    }
                    return (int) n;
                }
                return n;
            }
            if (type == String[].class) {
                List<String> items = new ArrayList<>();
                if (raw instanceof String[] a) {
                    items.addAll(Arrays.asList(a));
                } else if (raw instanceof Collection<?> c) {
                    c.forEach(o -> items.add(String.valueOf(o)));
                } else {
                    for (String s : raw.toString().split(",")) {
                        if (!s.isBlank()) {
                            items.add(s);
                        }
                    }
                }
                return items.stream().map(String::strip).toArray(String[]::new);
            }
            throw new IllegalStateException("Unsupported setting type " + type);
        }

        private long parseWhole(String text) {
            String t = text.strip().toUpperCase(Locale.ROOT).replace(" ", "");
            long unit = 1;
            Matcher size = SIZE.matcher(t);
            if (sizeSuffixes && size.matches()) {
                t = size.group(1);
                // decimal as every size is shown (1G = 10^9 bytes); 500GIB binary (500 x 2^30)
                int power = size.group(2) == null ? 0 : "KMGT".indexOf(size.group(2)) + 1;
                boolean binary = size.group(3) != null && size.group(3).startsWith("I");
                unit = 1;
                for (int i = 0; i < power; i++) {
                    unit *= binary ? 1024 : 1000;
                }
            }
            try {
                return Math.multiplyExact(Long.parseLong(t), unit);
            } catch (NumberFormatException | ArithmeticException e) {
                throw new IllegalArgumentException("The setting " + qualified() + " must be " + rule + "; got '"
                        + text + "'.");
            }
        }
    }

    /** A section: its name for users, PID and keys in the order they are shown. */
    record Section(String name, String pid, Class<? extends Annotation> annotation, List<Key> keys) {
        /** A key by its name, case-insensitively, also written with dashes ({@code max-age-days}). */
        Optional<Key> key(String name) {
            String wanted = name.replace("-", "").replace("_", "").toLowerCase(Locale.ROOT);
            return keys.stream().filter(k -> k.name().toLowerCase(Locale.ROOT).equals(wanted)).findFirst();
        }

        String keyNames() {
            return String.join(", ", keys.stream().map(Key::name).toList());
        }
    }

    /** A whole number of bytes with an optional binary unit: 500, 500K, 500MB, 2TiB. */
    private static final Pattern SIZE = Pattern.compile("(-?\\d+)([KMGT])?(I?B)?");
    private static final Pattern GRID = Pattern.compile("auto|[1-8]x[1-8]");
    private static final Pattern GEOMETRY = Pattern.compile("(\\d{1,5}x\\d{1,5}[+-]\\d{1,5}[+-]\\d{1,5})?");
    private static final Pattern VIEW_ID = Pattern.compile("([a-z0-9][a-z0-9._-]{0,63})?");

    static final Section RECORDING = section("recording", RecordingSettings.PID, RecordingSettings.class, b -> {
        b.key("recordingsRoot", "an absolute path, or empty for the recordings folder of the data directory",
                "where recordings are written", Sections::emptyOrAbsolute);
        b.key("segmentSeconds", "a whole number of seconds from 1 to 3600",
                "segment length given to a camera added without one", v -> between(v, 1, 3600));
    });
    static final Section RETENTION = section("retention", RetentionSettings.PID, RetentionSettings.class, b -> {
        b.key("maxAgeDays", "a whole number of days from 0 to 36500 (0 keeps recordings until space is needed)",
                "recordings older than this are deleted", v -> between(v, 0, 36500));
        b.sizeKey("maxBytesPerCamera", "a number of bytes of at least 0, such as 500G (0 means no limit)",
                "the most space one camera's recordings may use", v -> between(v, 0, Long.MAX_VALUE));
        b.key("minFreeDiskPercent", "a whole percentage from 0 to 90",
                "oldest recordings are deleted while less of the disk is free", v -> between(v, 0, 90));
    });
    static final Section BACKUP = section("backup", BackupSettings.PID, BackupSettings.class, b -> {
        b.key("destination", "an absolute path, or empty", "the backup destination offered first",
                Sections::emptyOrAbsolute);
        b.key("hash", "sha256 or md5", "checksum written beside copied files",
                v -> v.equals("sha256") || v.equals("md5"));
        b.key("verify", "on or off", "read every copy back and compare its checksum", v -> true);
    });
    static final Section UI = section("ui", UiSettings.PID, UiSettings.class, b -> {
        b.key("gridLayout", "auto or columns x rows from 1x1 to 8x8, such as 3x3", "the live grid",
                v -> GRID.matcher(v.toString()).matches());
        b.key("windowGeometry", "WIDTHxHEIGHT+X+Y such as 1280x720+0+0, or empty", "the window's size and place",
                v -> GEOMETRY.matcher(v.toString()).matches());
        b.key("windowMaximized", "on or off", "whether the window is maximized", v -> true);
        b.key("lastView", "a view id of a-z, 0-9, '.', '_' and '-', or empty", "the view shown at start",
                v -> VIEW_ID.matcher(v.toString()).matches());
        b.key("tileOrder", "camera ids separated by commas, each at most once", "the order of the live tiles",
                Sections::cameraIds);
    });

    static final Section API = section("api", ApiSettings.PID, ApiSettings.class, b -> {
        b.key("listen", "127.0.0.1, ::1, an IP address of this machine, or 0.0.0.0 / :: for every address",
                "the address the HTTPS API and the RTSP re-stream listen on", Sections::listenAddress);
        b.key("port", "a port from 0 to 65535 (0 picks a free one)", "the HTTPS port of the API",
                v -> between(v, 0, 65535));
        b.key("httpPort", "a port from 0 to 65535 (0 offers no plain HTTP)", "a plain HTTP port on loopback only",
                v -> between(v, 0, 65535));
        b.key("rtspPort", "a port from 0 to 65535 (0 picks a free one)", "the RTSP re-stream's port",
                v -> between(v, 0, 65535));
        b.key("rtspPlainBeyondLoopback", "on or off", "offer plain rtsp:// (no TLS) beyond loopback too", v -> true);
        b.key("tokenMinutes", "a whole number of minutes from 1 to 43200", "how long an API token stays valid",
                v -> between(v, 1, 43200));
    });

    static final List<Section> ALL = List.of(RECORDING, RETENTION, BACKUP, UI, API);

    private Sections() {
    }

    static Optional<Section> byName(String name) {
        return ALL.stream().filter(s -> s.name().equalsIgnoreCase(name)).findFirst();
    }

    static Optional<Section> byPid(String pid) {
        return ALL.stream().filter(s -> s.pid().equals(pid)).findFirst();
    }

    static String names() {
        return String.join(", ", ALL.stream().map(Section::name).toList());
    }

    /** A key written as {@code section.key}, or a sentence saying what is wrong with the name. */
    static Key key(String qualified) {
        int dot = qualified.indexOf('.');
        if (dot <= 0) {
            throw new IllegalArgumentException("Write a setting as section.key, such as retention.maxAgeDays; the"
                    + " sections are " + names() + " (cameras are changed with 'vigil camera set').");
        }
        String sectionName = qualified.substring(0, dot);
        Section section = byName(sectionName).orElseThrow(() -> new IllegalArgumentException("Unknown settings"
                + " section '" + sectionName + "': the sections are " + names()
                + " (cameras are changed with 'vigil camera set')."));
        String name = qualified.substring(dot + 1);
        return section.key(name).orElseThrow(() -> new IllegalArgumentException("Unknown setting '" + qualified
                + "': the keys of " + section.name() + " are " + section.keyNames() + "."));
    }

    /**
     * Checks stored properties of a section: every known key's value must follow its rule (unknown keys are other
     * components' business and pass).
     */
    static void check(Section section, Map<String, ?> properties) {
        for (Key k : section.keys()) {
            Object v = properties.get(k.name());
            if (v != null) {
                k.parse(v);
            }
        }
    }

    /** A value for display: lists joined with commas. */
    static String show(Object v) {
        if (v instanceof String[] a) {
            return String.join(",", a);
        }
        return String.valueOf(v);
    }

    private static boolean emptyOrAbsolute(Object v) {
        String s = v.toString();
        if (s.isEmpty()) {
            return true;
        }
        try {
            return Path.of(s).isAbsolute();
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean between(Object v, long min, long max) {
        long n = ((Number) v).longValue();
        return n >= min && n <= max;
    }

    /** A literal IP address (no host name: a name could resolve to another address later). */
    private static boolean listenAddress(Object v) {
        String s = v.toString();
        if (!s.matches("[0-9.]+|[0-9A-Fa-f:]+") || s.isEmpty()) {
            return false;
        }
        try {
            java.net.InetAddress.getByName(s);
            return true;
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }

    private static boolean cameraIds(Object v) {
        Set<String> seen = new HashSet<>();
        for (String id : (String[]) v) {
            if (!CameraId.isValid(id) || !seen.add(id)) {
                return false;
            }
        }
        return true;
    }

    // ---- building a section from its annotation -------------------------------------------------------------

    /** What a section definition says about one key; type and default come from the annotation. */
    private record Rule(String name, String rule, String help, Predicate<Object> valid, boolean sizeSuffixes) {
    }

    private static final class RulesBuilder {
        private final List<Rule> rules = new ArrayList<>();

        void key(String name, String rule, String help, Predicate<Object> valid) {
            rules.add(new Rule(name, rule, help, valid, false));
        }

        void sizeKey(String name, String rule, String help, Predicate<Object> valid) {
            rules.add(new Rule(name, rule, help, valid, true));
        }
    }

    private static Section section(String name, String pid, Class<? extends Annotation> annotation,
            Consumer<RulesBuilder> definition) {
        Map<String, Method> methods = new LinkedHashMap<>();
        for (Method m : annotation.getDeclaredMethods()) {
            methods.put(m.getName(), m);
        }
        RulesBuilder b = new RulesBuilder();
        definition.accept(b);
        Set<String> ruled = new HashSet<>(b.rules.stream().map(Rule::name).toList());
        if (!methods.keySet().equals(ruled)) {
            throw new IllegalStateException("The rules of section " + name + " " + ruled + " do not match the"
                    + " elements of " + annotation.getName() + " " + methods.keySet());
        }
        List<Key> keys = new ArrayList<>();
        for (Rule r : b.rules) {
            Method m = methods.get(r.name());
            keys.add(new Key(name, r.name(), m.getReturnType(), m.getDefaultValue(), r.rule(), r.help(), r.valid(),
                    r.sizeSuffixes()));
        }
        return new Section(name, pid, annotation, List.copyOf(keys));
    }
}
