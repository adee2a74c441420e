package org.vigil.config.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.config.BackupSettings;
import org.vigil.api.config.RecordingSettings;
import org.vigil.api.config.RetentionSettings;
import org.vigil.api.config.SettingsService;
import org.vigil.api.config.UiSettings;
import org.vigil.config.internal.ConfigStorage;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.vigil.testing.Invocation;

/** {@code vigil config get|set|export|import}. */
class ConfigCommandTest {
    private static final String FRONT = "rtsp://admin:s3cret@192.168.1.20:554/stream1";

    @InjectService(filter = "(component.name=org.vigil.config.internal.ConfigCommand)", timeout = 10000)
    VigilCommand config;

    @InjectService(timeout = 10000)
    SettingsService settings;

    @InjectService(timeout = 10000)
    ConfigStorage storage;

    @TempDir
    Path temp;

    @AfterEach
    void reset() throws Exception {
        for (CameraConfig c : settings.cameras()) {
            settings.removeCamera(c.id());
        }
        for (String pid : List.of(RecordingSettings.PID, RetentionSettings.PID, BackupSettings.PID, UiSettings.PID)) {
            Map<String, Object> stored = settings.section(pid);
            Map<String, Object> cleared = new java.util.HashMap<>();
            stored.keySet().forEach(k -> cleared.put(k, null));
            settings.updateSection(pid, cleared);
        }
    }

    @Test
    void getShowsEverySettingWithItsDefaultAndSetChangesOnlyWhatItNames() throws Exception {
        String all = run("get").output();
        assertEquals(19, all.lines().count(), all); // recording 2, retention 3, backup 3, ui 5, api 6
        assertEquals("0  (default)", value(all, "retention.maxAgeDays"));
        assertEquals("sha256  (default)", value(all, "backup.hash"));
        assertEquals("\"\"  (default)", value(all, "ui.windowGeometry"));
        assertEquals("false  (default)", value(all, "ui.windowMaximized"));

        assertEquals("Saved retention.maxAgeDays, backup.verify.\n",
                run("set", "retention.maxAgeDays=30", "backup.verify=off").output());
        assertEquals("30\n", run("get", "retention.maxAgeDays").output());
        assertEquals("false\n", run("get", "backup.verify").output());
        assertEquals(Map.of("maxAgeDays", 30), settings.section(RetentionSettings.PID));
        String retention = run("get", "retention").output();
        assertEquals(3, retention.lines().count(), retention);
        assertEquals("30", value(retention, "retention.maxAgeDays"));
        assertEquals("10  (default)", value(retention, "retention.minFreeDiskPercent"));

        Invocation json = Invocation.json("get");
        config.execute(json);
        JsonObject o = JsonParser.parseString(json.output()).getAsJsonObject();
        assertEquals(30, o.getAsJsonObject("retention").get("maxAgeDays").getAsInt());
        assertEquals("auto", o.getAsJsonObject("ui").get("gridLayout").getAsString());
        assertTrue(o.getAsJsonObject("ui").get("tileOrder").isJsonArray());

        assertEquals("The settings already have these values; nothing was written.\n",
                run("set", "retention.max-age-days=30").output());
        assertEquals("Saved retention.maxAgeDays.\n", run("set", "retention.maxAgeDays=").output());
        assertEquals(Map.of(), settings.section(RetentionSettings.PID), "key= resets to the default");

        run("set", "retention.maxBytesPerCamera=500G", "ui.tileOrder=yard,front", "recording.recordingsRoot=/srv/rec");
        assertEquals(500_000_000_000L, settings.section(RetentionSettings.PID).get("maxBytesPerCamera"),
                "decimal, as sizes are shown");
        run("set", "retention.maxBytesPerCamera=500GiB");
        assertEquals(500L << 30, settings.section(RetentionSettings.PID).get("maxBytesPerCamera"));
        assertEquals("yard,front\n", run("get", "ui.tileOrder").output());
        assertEquals("/srv/rec\n", run("get", "recording.recordingsRoot").output());
    }

    @Test
    void invalidSettingsNameTheRuleAndNothingIsWritten() throws Exception {
        String[][] cases = {
                { "retention.maxAgeDays=-3", "The setting retention.maxAgeDays must be a whole number of days from 0 to"
                        + " 36500 (0 keeps recordings until space is needed); got '-3'." },
                { "retention.minFreeDiskPercent=95", "retention.minFreeDiskPercent must be a whole percentage from 0"
                        + " to 90" },
                { "backup.hash=crc32", "The setting backup.hash must be sha256 or md5; got 'crc32'." },
                { "backup.destination=usb", "backup.destination must be an absolute path, or empty" },
                { "ui.gridLayout=9x9", "ui.gridLayout must be auto or columns x rows from 1x1 to 8x8" },
                { "ui.tileOrder=a,../b", "ui.tileOrder must be camera ids separated by commas" },
                { "recording.segmentSeconds=0", "recording.segmentSeconds must be a whole number of seconds from 1"
                        + " to 3600" },
                { "retention.colour=red", "Unknown setting 'retention.colour': the keys of retention are maxAgeDays,"
                        + " maxBytesPerCamera, minFreeDiskPercent." },
                { "cameras.front=x", "Unknown settings section 'cameras'" },
                { "maxAgeDays=3", "Write a setting as section.key" },
                { "retention.maxAgeDays", "Write each change as section.key=value" } };
        for (String[] c : cases) {
            try (RowWrites writes = new RowWrites(storage.database().orElseThrow())) {
                CommandException e = assertThrows(CommandException.class,
                        () -> config.execute(Invocation.of("set", "backup.verify=off", c[0])));
                assertTrue(e.getMessage().contains(c[1]), c[0] + ": " + e.getMessage());
                assertEquals(0, writes.totalChanges(), c[0] + ": nothing written, not even the valid change");
            }
        }
        assertEquals(Map.of(), settings.section(BackupSettings.PID));
    }

    @Test
    void anExportMasksPasswordsUnlessAskedAndImportsOnAnotherBox() throws Exception {
        settings.saveCamera(CameraConfig.of("front", "Front door", FRONT));
        settings.saveCamera(CameraConfig.of("yard", "Yard", "rtsp://10.0.0.7/live"));
        run("set", "retention.maxAgeDays=30", "ui.tileOrder=yard,front");

        String masked = run("export").output();
        assertFalse(masked.contains("s3cret"), masked);
        assertTrue(masked.contains("rtsp://admin:***@192.168.1.20:554/stream1"), masked);
        JsonObject doc = JsonParser.parseString(masked).getAsJsonObject();
        assertEquals("configuration", doc.get("vigil").getAsString());
        assertEquals(30, doc.getAsJsonObject("settings").getAsJsonObject("retention").get("maxAgeDays").getAsInt());
        assertEquals(2, doc.getAsJsonArray("cameras").size());

        Path file = temp.resolve("setup.json");
        String said = run("export", file.toString(), "--with-secrets").output();
        assertTrue(said.startsWith("Exported 2 camera(s) and the settings to " + file + " with camera passwords"),
                said);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertTrue(Files.readString(file).contains(FRONT));

        // another box: nothing configured
        reset();
        assertEquals("Importing " + file + " would make: 2 camera(s) added, 0 changed, 0 removed, 2 settings"
                + " section(s) changed. Nothing was written.\n", run("import", file.toString(), "--dry-run").output());
        assertTrue(settings.cameras().isEmpty());
        assertEquals("Imported " + file + ": 2 camera(s) added, 0 changed, 0 removed, 2 settings section(s)"
                + " changed.\n", run("import", file.toString()).output());
        assertEquals(FRONT, settings.camera("front").orElseThrow().url());
        assertEquals(30, settings.section(RetentionSettings.PID).get("maxAgeDays"));
        assertEquals("The settings already match " + file + "; nothing was written.\n",
                run("import", file.toString()).output());

        // --replace removes what the file does not name
        settings.saveCamera(CameraConfig.of("extra", "Extra", "rtsp://10.0.0.8/s"));
        run("set", "backup.hash=md5");
        run("import", file.toString(), "--replace");
        assertEquals(List.of("front", "yard"), settings.cameras().stream().map(CameraConfig::id).toList());
        assertEquals(Map.of(), settings.section(BackupSettings.PID));
    }

    @Test
    void aMaskedPasswordIsTakenFromTheSameCameraHereOrRefused() throws Exception {
        settings.saveCamera(CameraConfig.of("front", "Front door", FRONT));
        Path file = temp.resolve("masked.json");
        run("export", file.toString());
        String text = Files.readString(file).replace("Front door", "Front gate");
        Files.writeString(file, text);
        run("import", file.toString());
        CameraConfig front = settings.camera("front").orElseThrow();
        assertEquals("Front gate", front.name());
        assertEquals(FRONT, front.url(), "the password kept on this box was used");

        settings.removeCamera("front");
        CommandException e = assertThrows(CommandException.class,
                () -> config.execute(Invocation.of("import", file.toString())));
        assertTrue(e.getMessage().contains("has its password masked (exported without --with-secrets)"),
                e.getMessage());
        assertTrue(settings.cameras().isEmpty());
    }

    @Test
    void anImportWithOneBadEntryWritesNothingAtAll() throws Exception {
        settings.saveCamera(CameraConfig.of("front", "Front door", FRONT));
        Path file = temp.resolve("bad.json");
        JsonObject doc = JsonParser.parseString(run("export", "--with-secrets").output()).getAsJsonObject();
        doc.getAsJsonObject("settings").add("retention", JsonParser.parseString("{\"maxAgeDays\": 7}"));
        JsonArray cameras = doc.getAsJsonArray("cameras");
        cameras.get(0).getAsJsonObject().addProperty("name", "Renamed");
        cameras.add(JsonParser.parseString("{\"id\": \"new1\", \"url\": \"rtsp://10.0.0.3/s\"}"));
        cameras.add(JsonParser.parseString("{\"id\": \"../../etc\", \"url\": \"rtsp://10.0.0.4/s\"}"));
        cameras.add(JsonParser.parseString("{\"id\": \"new2\", \"url\": \"rtsp://10.0.0.5/s\", \"zoom\": 3}"));
        Files.writeString(file, doc.toString());
        try (RowWrites writes = new RowWrites(storage.database().orElseThrow())) {
            CommandException e = assertThrows(CommandException.class,
                    () -> config.execute(Invocation.of("import", file.toString())));
            assertEquals("Camera entry 3 ('../../etc'): Camera id '../../etc' is not allowed: use 1 to 64 characters"
                    + " of a-z, 0-9, '_' and '-', starting with a letter or digit. (and 1 more problem(s)) Nothing was"
                    + " imported from " + file + ".", e.getMessage());
            assertEquals(0, writes.totalChanges());
        }
        assertEquals("Front door", settings.camera("front").orElseThrow().name());
        assertEquals(List.of("front"), settings.cameras().stream().map(CameraConfig::id).toList());
        assertEquals(Map.of(), settings.section(RetentionSettings.PID));

        Files.writeString(file, "{\"vigil\": \"configuration\", \"version\": 7}");
        CommandException version = assertThrows(CommandException.class,
                () -> config.execute(Invocation.of("import", file.toString())));
        assertTrue(version.getMessage().contains("has format version 7"), version.getMessage());
    }

    @Test
    void anExportReplacesAnExistingFileOnlyWithOverwrite() throws Exception {
        settings.saveCamera(CameraConfig.of("front", "Front door", FRONT));
        Path file = temp.resolve("setup.json");
        Files.writeString(file, "my notes");
        CommandException e = assertThrows(CommandException.class,
                () -> config.execute(Invocation.of("export", file.toString())));
        assertEquals("The file " + file + " exists; choose another name or add --overwrite to replace it.",
                e.getMessage());
        assertEquals("my notes", Files.readString(file));
        CommandException folder = assertThrows(CommandException.class,
                () -> config.execute(Invocation.of("export", temp.toString())));
        assertEquals(temp + " is a folder; give the name of the file to write, such as "
                + temp.resolve("vigil-setup.json") + ".", folder.getMessage());
        CommandException missing = assertThrows(CommandException.class,
                () -> config.execute(Invocation.of("export", temp.resolve("no/such.json").toString())));
        assertEquals("The folder " + temp.resolve("no") + " does not exist; choose an existing folder for the setup"
                + " file.", missing.getMessage());

        assertTrue(run("export", file.toString(), "--overwrite").output().startsWith("Exported 1 camera(s)"));
        assertTrue(Files.readString(file).contains("\"Front door\""));
        Path fresh = temp.resolve("fresh.json");
        assertTrue(run("export", fresh.toString()).output().startsWith("Exported 1 camera(s)"));
        assertTrue(Files.readString(fresh).contains("\"Front door\""));
    }

    @Test
    void anImportOfADeviceAPipeOrAHugeFileIsRefusedWithoutReadingIt() throws Exception {
        settings.saveCamera(CameraConfig.of("front", "Front door", FRONT));
        Path huge = temp.resolve("huge.json");
        try (RandomAccessFile f = new RandomAccessFile(huge.toFile(), "rw")) {
            f.setLength(50L << 20);
        }
        Path fifo = temp.resolve("fifo.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        assertEquals(0, mkfifo.waitFor(), "mkfifo");
        Path folder = Files.createDirectory(temp.resolve("folder.json"));
        String[][] cases = {
                { "/dev/zero", "The setup file /dev/zero is a device, pipe or socket, not a regular file; give the path"
                        + " of a file written by 'vigil config export'. Nothing was imported." },
                { fifo.toString(), "The setup file " + fifo + " is a device, pipe or socket, not a regular file;" },
                { folder.toString(), "The setup file " + folder + " is a directory, not a regular file;" },
                { huge.toString(), "The setup file " + huge + " is larger than 1 MiB, far more than any Vigil setup;"
                        + " give the file written by 'vigil config export'. Nothing was imported." },
                { temp.resolve("missing.json").toString(), "The setup file " + temp.resolve("missing.json")
                        + " does not exist;" } };
        for (String[] c : cases) {
            // a FIFO nobody writes to would block a reader forever: the command must answer without opening it
            CommandException e = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> assertThrows(
                    CommandException.class, () -> config.execute(Invocation.of("import", c[0], "--dry-run"))));
            assertTrue(e.getMessage().startsWith(c[1]), c[0] + ": " + e.getMessage());
            assertOneSentence(e.getMessage());
        }
        assertEquals(List.of("front"), settings.cameras().stream().map(CameraConfig::id).toList());
        assertTrue(run("export").output().contains("\"front\""), "the instance still answers commands");
    }

    @Test
    void malformedJsonIsOneSentenceWithLineAndColumn() throws Exception {
        Path file = temp.resolve("bad.json");
        String[][] cases = {
                { "{\"vigil\": \"configuration\",\n  \"version\" 1}", "line 2, column 14: expected ':' after a key" },
                { "{\"vigil\": \"configuration\",\n  \"version\": 1,\n}", "line 3, column 2: expected a key in double"
                        + " quotes" },
                { "{\"vigil\": \"configuration\", \"cameras\": [{\"id\": \"a\"}", "line 1, column 51: the file ends"
                        + " before the JSON is complete" },
                { "{\"vigil\": \"configuration\", \"cameras\": [1 2]}", "line 1, column 43: expected ',' or ']'" },
                { "{\"vigil\": configuration}", "line 1, column 11: this is not JSON as written by 'vigil config"
                        + " export'" },
                { "{\"vigil\": \"configuration", "line 1, column 25: a text in double quotes is not closed" },
                { "", "line 1, column 1: the file ends before the JSON is complete" },
                { "{} {}", "line 1, column 5: this is not JSON as written by 'vigil config export'" },
                { "[1, 2", "line 1, column 6: the file ends before the JSON is complete" },
                { "[1, 2]", "is not a Vigil setup (it is not a JSON object)" },
                { "{\"a\": " + "[".repeat(300_000) + "]".repeat(300_000) + "}", "nested more than 16 levels deep" } };
        List<String> wrong = new java.util.ArrayList<>();
        for (String[] c : cases) {
            Files.writeString(file, c[0]);
            CommandException e = assertThrows(CommandException.class,
                    () -> config.execute(Invocation.of("import", file.toString(), "--dry-run")));
            if (!e.getMessage().contains(c[1])) {
                wrong.add(c[1] + " not in: " + e.getMessage());
            }
            assertTrue(e.getMessage().startsWith("The file " + file + " is not a Vigil setup"), e.getMessage());
            assertOneSentence(e.getMessage());
        }
        assertEquals(List.of(), wrong);
        Files.write(file, new byte[] { '{', '"', (byte) 0xff, '"', ':', '1', '}' });
        CommandException e = assertThrows(CommandException.class,
                () -> config.execute(Invocation.of("import", file.toString())));
        assertEquals("The file " + file + " is not a Vigil setup: it is not UTF-8 text. Nothing was imported.",
                e.getMessage());
    }

    /** No parser text, class name, URL or second line reaches the user. */
    private static void assertOneSentence(String message) {
        for (String javaText : List.of("Exception", "com.google", "http", "JsonReader", "Strictness", "path $", "\n")) {
            assertFalse(message.contains(javaText), javaText + " in: " + message);
        }
    }

    @Test
    void theHelpListsEverySetting() {
        String help = config.help();
        for (String key : List.of("recording.recordingsRoot", "recording.segmentSeconds", "retention.maxAgeDays",
                "retention.maxBytesPerCamera", "retention.minFreeDiskPercent", "backup.destination", "backup.hash",
                "backup.verify", "ui.gridLayout", "ui.windowGeometry", "ui.windowMaximized", "ui.lastView", "ui.tileOrder",
                "--with-secrets", "--replace", "--dry-run")) {
            assertTrue(help.contains(key), key);
        }
    }

    /** The value printed for {@code key} by 'config get'. */
    private static String value(String output, String key) {
        return output.lines().filter(l -> l.startsWith(key + " ")).findFirst().orElseThrow(() ->
                new AssertionError(key + " not in " + output)).substring(key.length()).strip();
    }

    private Invocation run(String... args) throws Exception {
        Invocation inv = Invocation.of(args);
        assertEquals(0, config.execute(inv), inv.errors());
        return inv;
    }
}
