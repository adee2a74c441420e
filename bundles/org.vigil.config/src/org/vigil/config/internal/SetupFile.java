package org.vigil.config.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraId;
import org.vigil.api.camera.CameraUrls;
import org.vigil.api.command.CommandException;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.SettingsException;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import com.google.gson.Strictness;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.MalformedJsonException;

/**
 * A setup file: every camera and every stored setting as JSON, for moving a setup to another box
 * ({@code vigil config export}/{@code import}). Passwords in URLs are masked unless the export asked for them.
 * Reading a file checks everything in it before anything is written: one bad entry and nothing is imported.
 */
final class SetupFile {
    static final String FORMAT = "configuration";
    static final int VERSION = 1;
    private static final String MASKED = ":***@";
    /** The largest setup file read; an export of a few hundred cameras is some 200 KB. */
    static final long MAX_BYTES = 1L << 20;
    private static final int MAX_DEPTH = 16;
    private static final TypeAdapter<JsonElement> ELEMENTS = new Gson().getAdapter(JsonElement.class);

    /** What importing a file would change, already validated. */
    record Import(ConfigAdminSettings.Plan plan, int camerasAdded, int camerasChanged, int camerasRemoved,
            int sectionsChanged) {
        String summary() {
            return camerasAdded + " camera(s) added, " + camerasChanged + " changed, " + camerasRemoved + " removed, "
                    + sectionsChanged + " settings section(s) changed";
        }
    }

    private SetupFile() {
    }

    /** The export document. */
    static Map<String, Object> export(ConfigAdminSettings settings, boolean withSecrets) throws SettingsException {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("vigil", FORMAT);
        doc.put("version", VERSION);
        doc.put("exportedAt", Instant.now().toString());
        doc.put("secrets", withSecrets);
        Map<String, Object> sections = new LinkedHashMap<>();
        for (Sections.Section s : Sections.ALL) {
            Map<String, Object> stored = settings.section(s.pid());
            Map<String, Object> values = new LinkedHashMap<>();
            for (Sections.Key k : s.keys()) {
                if (stored.containsKey(k.name())) {
                    values.put(k.name(), Json.value(stored.get(k.name())));
                }
            }
            if (!values.isEmpty()) {
                sections.put(s.name(), values);
            }
        }
        doc.put("settings", sections);
        List<Map<String, Object>> cameras = new ArrayList<>();
        for (CameraConfig c : settings.cameras()) {
            cameras.add(Json.camera(c, withSecrets));
        }
        doc.put("cameras", cameras);
        return doc;
    }

    /** Writes text to {@code file}, readable by its owner only, replacing it in one step. */
    static void write(Path file, String text) throws CommandException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = null;
        try {
            temp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            try (var channel = java.nio.channels.FileChannel.open(temp, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (temp != null) {
                try {
                    Files.deleteIfExists(temp);
                } catch (IOException ignored) {
                    // the message below says what failed
                }
            }
            throw new CommandException("The setup could not be written to " + file + " (" + e.getMessage() + ").");
        }
    }

    /**
     * Reads and checks a setup file against the current settings.
     *
     * @param replace also remove cameras missing from the file and reset settings it does not name
     */
    static Import read(Path file, ConfigAdminSettings settings, boolean replace) throws CommandException,
            SettingsException {
        JsonObject root = parse(file);
        Object format = Json.plain(root.get("vigil"));
        Object version = Json.plain(root.get("version"));
        if (!FORMAT.equals(format)) {
            throw new CommandException("The file " + file + " is not a Vigil setup (it has no \"vigil\": \""
                    + FORMAT + "\"); nothing was imported.");
        }
        if (!Long.valueOf(VERSION).equals(version)) {
            throw new CommandException("The setup file " + file + " has format version " + version + "; this Vigil"
                    + " reads version " + VERSION + ". Nothing was imported.");
        }
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> sections = sections(root, settings, replace, problems);
        Map<String, CameraConfig> cameras = cameras(root, settings, problems);
        if (!problems.isEmpty()) {
            String more = problems.size() > 1 ? " (and " + (problems.size() - 1) + " more problem(s))" : "";
            throw new CommandException(problems.get(0) + more + " Nothing was imported from " + file + ".");
        }
        int added = 0;
        int changed = 0;
        List<CameraConfig> save = new ArrayList<>();
        for (CameraConfig c : cameras.values()) {
            Optional<CameraConfig> now = settings.camera(c.id());
            if (now.isEmpty()) {
                added++;
                save.add(c);
            } else if (!now.get().equals(c)) {
                changed++;
                save.add(c);
            }
        }
        List<String> remove = new ArrayList<>();
        if (replace) {
            for (CameraConfig c : settings.cameras()) {
                if (!cameras.containsKey(c.id())) {
                    remove.add(c.id());
                }
            }
        }
        Map<String, Map<String, Object>> changedSections = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> s : sections.entrySet()) {
            if (!ConfigAdminSettings.sameValues(settings.section(s.getKey()), s.getValue())) {
                changedSections.put(s.getKey(), s.getValue());
            }
        }
        return new Import(new ConfigAdminSettings.Plan(save, remove, changedSections), added, changed, remove.size(),
                changedSections.size());
    }

    /**
     * The file's JSON object, read as a stream and bounded: a file that is not a regular file (a device such as
     * /dev/zero, a pipe, a directory) or is larger than {@link #MAX_BYTES} is refused before anything is read, and
     * reading stops at the bound should the file grow meanwhile. Malformed JSON is one sentence naming the line and
     * column, never the parser's own text.
     */
    static JsonObject parse(Path file) throws CommandException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new CommandException("The setup file " + file + " does not exist; give the path of a file written"
                    + " by 'vigil config export'.");
        } catch (IOException e) {
            throw new CommandException("The setup file " + file + " cannot be read (" + e.getMessage() + ").");
        }
        if (!attributes.isRegularFile()) {
            String kind = attributes.isDirectory() ? "a directory" : "a device, pipe or socket";
            throw new CommandException("The setup file " + file + " is " + kind + ", not a regular file; give the"
                    + " path of a file written by 'vigil config export'. Nothing was imported.");
        }
        if (attributes.size() > MAX_BYTES) {
            throw tooLarge(file);
        }
        JsonElement parsed;
        try (InputStream in = new BoundedInput(Files.newInputStream(file), MAX_BYTES);
                JsonReader reader = new JsonReader(new InputStreamReader(in, StandardCharsets.UTF_8.newDecoder()
                        .onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT)))) {
            reader.setStrictness(Strictness.LEGACY_STRICT);
            parsed = ELEMENTS.read(reader);
            if (reader.peek() != JsonToken.END_DOCUMENT) {
                throw new MalformedJsonException("Expected the end of the file" + where(reader));
            }
        } catch (BoundedInput.TooLarge e) {
            throw tooLarge(file);
        } catch (CharacterCodingException e) {
            throw new CommandException("The file " + file + " is not a Vigil setup: it is not UTF-8 text. Nothing was"
                    + " imported.");
        } catch (IOException | JsonParseException | IllegalStateException | NumberFormatException e) {
            throw new CommandException("The file " + file + " is not a Vigil setup: it is not valid JSON ("
                    + Problem.of(e) + "). Nothing was imported.");
        }
        if (!parsed.isJsonObject()) {
            throw new CommandException("The file " + file + " is not a Vigil setup (it is not a JSON object); nothing"
                    + " was imported.");
        }
        if (depth(parsed) > MAX_DEPTH) {
            throw new CommandException("The file " + file + " is not a Vigil setup: its JSON is nested more than "
                    + MAX_DEPTH + " levels deep. Nothing was imported.");
        }
        return parsed.getAsJsonObject();
    }

    private static CommandException tooLarge(Path file) {
        return new CommandException("The setup file " + file + " is larger than 1 MiB, far more than any Vigil setup;"
                + " give the file written by 'vigil config export'. Nothing was imported.");
    }

    private static String where(JsonReader reader) {
        // "JsonReader at line 3 column 7 path $.x": the position is only offered through toString()
        String s = reader.toString();
        int at = s.indexOf(" at line ");
        return at < 0 ? "" : s.substring(at);
    }

    /** How deeply arrays and objects nest, counted without recursion (a hostile file must not overflow the stack). */
    private static int depth(JsonElement root) {
        int max = 0;
        Deque<Map.Entry<JsonElement, Integer>> todo = new ArrayDeque<>();
        todo.push(Map.entry(root, 1));
        while (!todo.isEmpty()) {
            Map.Entry<JsonElement, Integer> e = todo.pop();
            int d = e.getValue();
            max = Math.max(max, d);
            if (d > MAX_DEPTH) {
                return d;
            }
            if (e.getKey().isJsonArray()) {
                e.getKey().getAsJsonArray().forEach(c -> todo.push(Map.entry(c, d + 1)));
            } else if (e.getKey().isJsonObject()) {
                e.getKey().getAsJsonObject().entrySet().forEach(c -> todo.push(Map.entry(c.getValue(), d + 1)));
            }
        }
        return max;
    }

    /** A JSON parser's complaint as words for a user: where (line, column) and what was expected. */
    static final class Problem {
        private static final Pattern POSITION = Pattern.compile("^(.*?)\\s+at line (\\d+) column (\\d+)");
        private static final Map<String, String> WORDS = Map.ofEntries(
                Map.entry("Expected value", "expected a value: text in double quotes, a number, true, false, null,"
                        + " an object or a list"),
                Map.entry("Expected name", "expected a key in double quotes"),
                Map.entry("Expected ':'", "expected ':' after a key"),
                Map.entry("Unterminated object", "expected ',' or '}'"),
                Map.entry("Unterminated array", "expected ',' or ']'"),
                Map.entry("Unterminated string", "a text in double quotes is not closed"),
                Map.entry("Unterminated escape sequence", "a backslash escape is cut short"),
                Map.entry("Malformed Unicode escape", "expected four hexadecimal digits after \\u"),
                Map.entry("End of input", "the file ends before the JSON is complete"),
                Map.entry("Expected the end of the file", "expected the end of the file after the object"));

        private Problem() {
        }

        static String of(Exception e) {
            String message = e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse("");
            Matcher m = POSITION.matcher(message);
            boolean located = m.find();
            String what = located ? m.group(1).strip() : message.strip();
            String words = WORDS.get(what);
            if (words == null) {
                words = WORDS.entrySet().stream().filter(w -> what.startsWith(w.getKey())).map(Map.Entry::getValue)
                        .findFirst().orElse("this is not JSON as written by 'vigil config export'");
            }
            return (located ? "line " + m.group(2) + ", column " + m.group(3) + ": " : "") + words;
        }
    }

    /** Reads at most {@code limit} bytes, then fails: the file grew past the size it had when it was checked. */
    private static final class BoundedInput extends FilterInputStream {
        static final class TooLarge extends IOException {
            private static final long serialVersionUID = 1L;
        }

        private long left;

        BoundedInput(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0 && --left < 0) {
                throw new TooLarge();
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, (int) Math.min(length, left + 1));
            if (n > 0 && (left -= n) < 0) {
                throw new TooLarge();
            }
            return n;
        }
    }

    private static Map<String, Map<String, Object>> sections(JsonObject root, ConfigAdminSettings settings,
            boolean replace, List<String> problems) throws SettingsException {
        Map<String, Map<String, Object>> result = new LinkedHashMap<>();
        Object raw = Json.plain(root.get("settings"));
        Map<?, ?> given = raw instanceof Map<?, ?> m ? m : Map.of();
        if (raw != null && !(raw instanceof Map<?, ?>)) {
            problems.add("\"settings\" must be an object of sections (" + Sections.names() + ").");
        }
        for (Map.Entry<?, ?> e : given.entrySet()) {
            String name = e.getKey().toString();
            Optional<Sections.Section> section = Sections.byName(name);
            if (section.isEmpty()) {
                problems.add("Unknown settings section '" + name + "': the sections are " + Sections.names() + ".");
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?> values)) {
                problems.add("The settings section '" + name + "' must be an object of key: value.");
                continue;
            }
            Map<String, Object> changes = new LinkedHashMap<>();
            for (Map.Entry<?, ?> kv : values.entrySet()) {
                String key = kv.getKey().toString();
                Optional<Sections.Key> k = section.get().key(key);
                if (k.isEmpty()) {
                    problems.add("Unknown setting '" + name + "." + key + "': the keys of " + name + " are "
                            + section.get().keyNames() + ".");
                    continue;
                }
                try {
                    changes.put(k.get().name(), k.get().parse(kv.getValue()));
                } catch (IllegalArgumentException bad) {
                    problems.add(bad.getMessage());
                }
            }
            if (replace) {
                result.put(section.get().pid(), changes);
            } else {
                try {
                    result.put(section.get().pid(), settings.mergeSection(section.get().pid(), changes));
                } catch (SettingsException bad) {
                    problems.add(bad.getMessage());
                }
            }
        }
        if (replace) {
            for (Sections.Section s : Sections.ALL) {
                result.putIfAbsent(s.pid(), new LinkedHashMap<>());
            }
        }
        return result;
    }

    private static Map<String, CameraConfig> cameras(JsonObject root, ConfigAdminSettings settings,
            List<String> problems) throws SettingsException {
        Map<String, CameraConfig> result = new LinkedHashMap<>();
        JsonElement raw = root.get("cameras");
        if (raw == null || raw.isJsonNull()) {
            return result;
        }
        if (!raw.isJsonArray()) {
            problems.add("\"cameras\" must be a list of cameras.");
            return result;
        }
        int n = 0;
        for (JsonElement element : raw.getAsJsonArray()) {
            n++;
            Object entry = Json.plain(element);
            if (!(entry instanceof Map<?, ?> map)) {
                problems.add("Camera entry " + n + " is not an object of key: value.");
                continue;
            }
            Map<String, Object> props = new LinkedHashMap<>();
            map.forEach((k, v) -> props.put(k.toString(), v));
            Object id = props.get(CameraProperties.ID);
            String label = "Camera entry " + n + (id == null ? "" : " ('" + id + "')") + ": ";
            Set<String> unknown = new HashSet<>(props.keySet());
            unknown.removeAll(CameraProperties.NAMES);
            if (!unknown.isEmpty()) {
                problems.add(label + "unknown key '" + unknown.iterator().next() + "'; the keys are "
                        + String.join(", ", CameraProperties.NAMES) + ".");
                continue;
            }
            if (id != null && CameraId.isValid(id.toString())) {
                Optional<CameraConfig> local = settings.camera(id.toString());
                if (!unmask(props, CameraProperties.URL, local.map(CameraConfig::url), label, problems)
                        || !unmask(props, CameraProperties.SUB_URL, local.flatMap(CameraConfig::subUrl), label,
                                problems)) {
                    continue;
                }
            }
            String badName = CameraKeys.nameProblem(props);
            if (badName != null) {
                problems.add(label + badName);
                continue;
            }
            try {
                CameraConfig c = CameraProperties.toConfig(props);
                if (result.put(c.id(), c) != null) {
                    problems.add(label + "the camera id '" + c.id() + "' appears twice in the file.");
                }
            } catch (IllegalArgumentException bad) {
                problems.add(label + bad.getMessage());
            }
        }
        return result;
    }

    /**
     * A URL exported without secrets has its password masked: it can only be imported where the same camera already
     * has that URL with its password.
     */
    private static boolean unmask(Map<String, Object> props, String key, Optional<String> local, String label,
            List<String> problems) {
        Object v = props.get(key);
        if (v == null || !v.toString().contains(MASKED)) {
            return true;
        }
        if (local.isPresent() && CameraUrls.mask(local.get()).equals(v.toString())) {
            props.put(key, local.get());
            return true;
        }
        problems.add(label + "the " + (key.equals(CameraProperties.URL) ? "URL" : "sub-stream URL") + " '" + v
                + "' has its password masked (exported without --with-secrets); export again with --with-secrets or"
                + " put the password in the file.");
        return false;
    }
}
