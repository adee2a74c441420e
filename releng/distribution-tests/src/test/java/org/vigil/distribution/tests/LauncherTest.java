package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;

/** The launcher with no instance running: one-shot commands and every kind of bad input. */
class LauncherTest {

    @TempDir
    Path temp;

    static void assertOneCleanSentence(Vigil.Result r) {
        String err = r.err().strip();
        assertFalse(err.isEmpty(), "a failure says why on standard error");
        assertEquals(1, err.lines().count(), "one sentence, not a stack trace: " + err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }

    @Test
    void versionNamesVigil() throws Exception {
        Vigil.Result r = Vigil.run("version");
        assertEquals(0, r.exit());
        assertTrue(r.out().startsWith("Vigil "), r.out());
    }

    @Test
    void helpListsTheLaunchersAndTheBundlesCommands() throws Exception {
        Vigil.Result r = Vigil.run("--help", "--data", temp.resolve("d").toString());
        assertEquals(0, r.exit(), r.all());
        for (String s : new String[] { "vigil run --headless", "vigil shell", "vigil democam", "vigil status",
                "vigil bundles" }) {
            assertTrue(r.out().contains(s), "help mentions " + s + ": " + r.out());
        }
    }

    @Test
    void aCommandRunsInAOneShotFrameworkWhenNoInstanceRuns() throws Exception {
        Path data = temp.resolve("data");
        Vigil.Result r = Vigil.run("bundles", "--json", "--data", data.toString());
        assertEquals(0, r.exit(), r.all());
        JsonArray bundles = JsonParser.parseString(r.out()).getAsJsonArray();
        boolean coreActive = false;
        for (JsonElement e : bundles) {
            if (e.getAsJsonObject().get("name").getAsString().equals("org.vigil.core")) {
                coreActive = e.getAsJsonObject().get("state").getAsString().equals("active");
            }
            String state = e.getAsJsonObject().get("state").getAsString();
            if (e.getAsJsonObject().get("name").getAsString().equals("org.apache.felix.http.jetty12")) {
                // the API's server (start level 4) runs only in a recorder or the workbench: a one-shot command
                // never listens on the network
                assertEquals("resolved", state, "the API's server does not start for a command: " + e);
                continue;
            }
            assertTrue(state.equals("active") || state.equals("fragment"), "every bundle starts: " + e);
        }
        assertTrue(coreActive, r.out());
        assertFalse(Files.exists(data.resolve("control.sock")), "the one-shot framework removed its socket");
        assertEquals("", r.err(), "nothing on standard error");
    }

    @Test
    void aCameraAddedWithoutARunningInstanceIsKeptInConfigDb() throws Exception {
        Path data = temp.resolve("data");
        Vigil.Result add = Vigil.run("camera", "add", "door", "rtsp://127.0.0.1:8554/door", "--data", data.toString());
        assertEquals(0, add.exit(), add.all());
        assertTrue(Files.isRegularFile(data.resolve("config.db")));
        Vigil.Result list = Vigil.run("--json", "camera", "list", "--data", data.toString());
        assertEquals(0, list.exit(), list.all());
        assertTrue(list.out().contains("\"door\""), list.out());
    }

    @Test
    void statusSaysNoneRunsWithExitCode3() throws Exception {
        Vigil.Result r = Vigil.run("status", "--data", temp.resolve("none").toString());
        assertEquals(3, r.exit(), r.all());
        assertTrue(r.out().contains("No Vigil instance runs"), r.out());
    }

    @Test
    void unknownCommandIsOneSentenceAndExit2() throws Exception {
        Vigil.Result r = Vigil.run("frobnicate", "--data", temp.resolve("d").toString());
        assertEquals(2, r.exit(), r.all());
        assertOneCleanSentence(r);
        assertTrue(r.err().contains("frobnicate"));
    }

    @Test
    void unknownOptionAndMissingArgumentAreRefused() throws Exception {
        Vigil.Result opt = Vigil.run("run", "--turbo");
        assertEquals(2, opt.exit(), opt.all());
        assertOneCleanSentence(opt);
        Vigil.Result missing = Vigil.run("status", "--data");
        assertEquals(2, missing.exit(), missing.all());
        assertOneCleanSentence(missing);
    }

    @Test
    void anUnusableDataDirectoryIsOneSentence() throws Exception {
        Path file = Files.writeString(temp.resolve("a-file"), "not a directory");
        Vigil.Result r = Vigil.run("run", "--headless", "--data", file.resolve("sub").toString());
        assertTrue(r.exit() != 0, r.all());
        assertOneCleanSentence(r);
        assertTrue(r.err().contains("--data"), "says what to do: " + r.err());
    }

    @Test
    void aCommandAfterDataIsNotTakenForADirectory() throws Exception {
        Path here = Files.createDirectories(temp.resolve("here"));
        Vigil.Result r = Vigil.runIn(here, "--data", "camera", "list");
        assertEquals(2, r.exit(), r.all());
        assertOneCleanSentence(r);
        assertTrue(r.err().contains("vigil --data /srv/vigil camera"), "says what to write: " + r.err());
        assertFalse(Files.exists(here.resolve("camera")), "no data directory ./camera was made");

        Files.createDirectories(here.resolve("status"));
        Vigil.Result existing = Vigil.runIn(here, "--data", "status", "status");
        assertEquals(3, existing.exit(), "an existing folder of that name is used: " + existing.all());
    }

    @Test
    void aPasswordFromStandardInputIsKeptAndLeavesNoFileBehind() throws Exception {
        Path data = temp.resolve("pw");
        Vigil.Result add = Vigil.run(Duration.ofSeconds(90), "pa:ss@word\n", "camera", "add", "side",
                "rtsp://admin@127.0.0.1:8554/side", "--password-stdin", "--data", data.toString());
        assertEquals(0, add.exit(), add.all());
        assertFalse(add.all().contains("pa:ss@word"), "the password is not echoed: " + add.all());
        Vigil.Result secrets = Vigil.run("config", "export", "--with-secrets", "--data", data.toString());
        assertEquals(0, secrets.exit(), secrets.all());
        assertTrue(secrets.out().contains("rtsp://admin:pa%3Ass%40word@127.0.0.1:8554/side"), secrets.out());
        for (String dir : new String[] { System.getenv("XDG_RUNTIME_DIR"), "/dev/shm", data.toString() }) {
            if (dir != null && Files.isDirectory(Path.of(dir))) {
                try (var list = Files.list(Path.of(dir))) {
                    assertTrue(list.noneMatch(p -> p.getFileName().toString().startsWith(".vigil-password-")),
                            "no password file left in " + dir);
                }
            }
        }

        Vigil.Result none = Vigil.run(Duration.ofSeconds(90), "", "camera", "set", "side", "--password-stdin",
                "--data", data.toString());
        assertEquals(2, none.exit(), none.all());
        assertOneCleanSentence(none);
        assertTrue(none.err().contains("No password on standard input"), none.err());
        Vigil.Result both = Vigil.run(Duration.ofSeconds(90), "x\n", "camera", "set", "side", "--password-stdin",
                "--password-file", "/nonexistent", "--data", data.toString());
        assertEquals(2, both.exit(), both.all());
        assertTrue(both.err().contains("not both"), both.err());
    }

    @Test
    void usersAreAddedWithAPasswordFromStandardInputAndAudited() throws Exception {
        Path data = temp.resolve("users");
        Vigil.Result add = Vigil.run(Duration.ofSeconds(90), "a long passphrase\n", "user", "add", "alice", "--role",
                "admin", "--password-stdin", "--data", data.toString());
        assertEquals(0, add.exit(), add.all());
        assertEquals("Added admin 'alice'.", add.out().strip());
        Vigil.Result list = Vigil.run("user", "list", "--data", data.toString());
        assertTrue(list.out().startsWith("alice  admin"), list.all());
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(data.resolve("users.db"))));
        Vigil.Result audit = Vigil.run("audit", "--data", data.toString());
        assertEquals(0, audit.exit(), audit.all());
        assertTrue(audit.out().contains("user.add alice  role admin"), audit.out());
        assertFalse(audit.out().contains("passphrase") || list.out().contains("passphrase"));

        Vigil.Result weak = Vigil.run(Duration.ofSeconds(90), "short\n", "user", "add", "bob", "--role", "viewer",
                "--password-stdin", "--data", data.toString());
        assertEquals(1, weak.exit(), weak.all());
        assertOneCleanSentence(weak);
        assertTrue(weak.err().contains("at least 8 characters"), weak.err());
    }

    @Test
    void aRetentionSettingAppliesWithoutAnyRecordingSetting() throws Exception {
        // the storage reads two configurations (recording, retention); SCR applied none while the first was missing
        Path data = temp.resolve("floor");
        Vigil.Result set = Vigil.run("config", "set", "retention.minFreeDiskPercent=17", "--data", data.toString());
        assertEquals(0, set.exit(), set.all());
        Vigil.Result status = Vigil.run("storage", "status", "--data", data.toString());
        assertTrue(status.out().contains("Retention: keep 17.0 % free"), status.all());
    }

    @Test
    void withoutTheWorkbenchOrADisplayTheLauncherSuggestsHeadless() throws Exception {
        Vigil.Result r = Vigil.run("--data", temp.resolve("d").toString());
        assertTrue(r.exit() != 0, r.all());
        assertOneCleanSentence(r);
        assertTrue(r.err().contains("--headless"), r.err());
    }
}
