package org.vigil.storage.internal.disk;

import java.io.IOException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.vigil.api.camera.CameraId;
import org.vigil.api.codec.Container;

/**
 * The layout of the recordings tree, {@code <camera_id>/<YYYYMMDD>/<HHMMSS>.mp4} ({@code .mkv} for Matroska), and the
 * rules every relative path must follow before it touches the disk.
 */
public final class SegmentPaths {
    /** Hidden names under the root (volume identity, quarantine, temporary files) start with a dot. */
    public static final String VOLUME_FILE = ".vigil-volume";
    public static final String QUARANTINE = ".quarantine";
    /**
     * In a day folder: the names of its protected recordings, one a line, so that protection survives the loss of the
     * catalog (a repair reads it back). Written atomically (temporary file, fsync, rename, folder fsync).
     */
    public static final String PROTECTED_LIST = ".vigil-protected";
    public static final String PARTIAL_SUFFIX = ".partial";

    private static final DateTimeFormatter DAY = DateTimeFormatter.BASIC_ISO_DATE;
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HHmmss", Locale.ROOT);
    private static final Pattern LEADING_TIME = Pattern.compile("^(\\d{2})(\\d{2})(\\d{2})(?:[-_.].*)?\\.[A-Za-z0-9]+$");
    private static final Pattern DATE_TIME = Pattern.compile("(\\d{4})-?(\\d{2})-?(\\d{2})[_T -]?(\\d{2})[-:_]?(\\d{2})[-:_]?(\\d{2})");
    private static final Pattern SEPARATED_TIME = Pattern.compile("(?<!\\d)(\\d{2})[-:_](\\d{2})[-:_](\\d{2})(?!\\d)");

    private SegmentPaths() {
    }

    /** {@code cam/20261126/101500.mp4}, or {@code 101500-2.mp4} for the third segment starting in that second. */
    public static String segment(String cameraId, LocalDateTime start, Container container, int attempt) {
        CameraId.require(cameraId);
        String base = start.format(TIME) + (attempt > 0 ? "-" + attempt : "");
        return cameraId + "/" + dayFolder(start.toLocalDate()) + "/" + base + "." + container.extension();
    }

    public static String dayFolder(LocalDate day) {
        return day.format(DAY);
    }

    public static boolean isDayFolder(String name) {
        if (name.length() != 8) {
            return false;
        }
        for (int i = 0; i < 8; i++) {
            if (name.charAt(i) < '0' || name.charAt(i) > '9') {
                return false;
            }
        }
        return parseDay(name).isPresent();
    }

    public static Optional<LocalDate> parseDay(String name) {
        try {
            return Optional.of(LocalDate.parse(name, DAY));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** Names a segment file may have: safe characters and a video extension. */
    public static boolean isSegmentName(String name) {
        int n = name.length();
        if (n < 5 || n > 132 || !isAlnum(name.charAt(0)) || name.charAt(n - 4) != '.') {
            return false;
        }
        for (int i = 1; i < n - 4; i++) {
            char c = name.charAt(i);
            if (!isAlnum(c) && c != '_' && c != '.' && c != '+' && c != '-') {
                return false;
            }
        }
        String ext = name.substring(n - 3);
        return ext.equalsIgnoreCase("mp4") || ext.equalsIgnoreCase("mkv") || ext.equalsIgnoreCase("mov");
    }

    private static boolean isAlnum(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }

    /** A temporary file of an interrupted import or atomic write. */
    public static boolean isTemporary(String name) {
        return name.startsWith(".") && (name.endsWith(PARTIAL_SUFFIX) || name.endsWith(".tmp"));
    }

    public static Container containerOf(String name) {
        return name.toLowerCase(Locale.ROOT).endsWith(".mkv") ? Container.MATROSKA : Container.MP4;
    }

    /**
     * The local start time a file name says, read in the day folder's date: {@code HHMMSS[-n].mp4} (Vigil),
     * {@code [...]YYYYMMDD_HHMMSS[...].mp4} or {@code [...]HH-MM-SS[...].mp4} (older recorders).
     */
    public static Optional<LocalDateTime> timeFromName(LocalDate day, String name) {
        Matcher m = LEADING_TIME.matcher(name);
        if (m.matches()) {
            return time(day, m.group(1), m.group(2), m.group(3));
        }
        m = DATE_TIME.matcher(name);
        if (m.find()) {
            try {
                LocalDate d = LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)),
                        Integer.parseInt(m.group(3)));
                return time(d, m.group(4), m.group(5), m.group(6));
            } catch (DateTimeException e) {
                // not a date after all: try the next form
            }
        }
        m = SEPARATED_TIME.matcher(name);
        if (m.find()) {
            return time(day, m.group(1), m.group(2), m.group(3));
        }
        return Optional.empty();
    }

    private static Optional<LocalDateTime> time(LocalDate day, String h, String m, String s) {
        try {
            return Optional.of(LocalDateTime.of(day, LocalTime.of(Integer.parseInt(h), Integer.parseInt(m),
                    Integer.parseInt(s))));
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    /** The parts of a segment's relative path, when it is one. */
    public record Parsed(String cameraId, LocalDate day, String name) {
        public String dayFolder() {
            return SegmentPaths.dayFolder(day);
        }

        public String folder() {
            return cameraId + "/" + dayFolder();
        }
    }

    public static Optional<Parsed> parse(String relativePath) {
        String[] parts = relativePath.split("/", -1);
        if (parts.length != 3 || !CameraId.isValid(parts[0]) || !isDayFolder(parts[1]) || !isSegmentName(parts[2])) {
            return Optional.empty();
        }
        return Optional.of(new Parsed(parts[0], parseDay(parts[1]).orElseThrow(), parts[2]));
    }

    /** The folder part of a relative path ({@code ""} at the root). */
    public static String folderOf(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        return slash < 0 ? "" : relativePath.substring(0, slash);
    }

    public static String nameOf(String relativePath) {
        int slash = relativePath.lastIndexOf('/');
        return slash < 0 ? relativePath : relativePath.substring(slash + 1);
    }

    /**
     * Checks the path rules: relative, {@code /}-separated, no empty, {@code .} or {@code ..} parts, no backslash or
     * NUL, and a first part that is a camera id or a hidden name of Vigil's own.
     *
     * @throws IOException naming the path and the rule it breaks
     */
    public static String check(String relativePath) throws IOException {
        if (relativePath == null || relativePath.isEmpty()) {
            throw new IOException("An empty path is not a recording path.");
        }
        if (relativePath.startsWith("/")) {
            throw new IOException("The path '" + relativePath + "' is absolute; recording paths are relative to the"
                    + " recordings root.");
        }
        if (relativePath.indexOf('\0') >= 0 || relativePath.indexOf('\\') >= 0) {
            throw new IOException("The path '" + printable(relativePath) + "' contains a NUL or backslash.");
        }
        String[] parts = relativePath.split("/", -1);
        for (String p : parts) {
            if (p.isEmpty() || p.equals(".") || p.equals("..")) {
                throw new IOException("The path '" + relativePath + "' leads outside the recordings root or has an"
                        + " empty part.");
            }
        }
        if (!parts[0].startsWith(".") && !CameraId.isValid(parts[0])) {
            throw new IOException("The path '" + relativePath + "' does not start with a valid camera id: "
                    + "use 1 to 64 characters of a-z, 0-9, '_' and '-'.");
        }
        return relativePath;
    }

    private static String printable(String s) {
        return s.replace("\0", "\\0");
    }
}
