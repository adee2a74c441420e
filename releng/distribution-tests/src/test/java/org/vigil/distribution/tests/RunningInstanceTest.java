package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * One headless instance started as a process, used through the control socket, then stopped with SIGTERM:
 * exit code 0, every component deactivated (the lock is free again), no thread left, no error in the log.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RunningInstanceTest {
    private Path data;
    private Path output;
    private Process vigil;

    @BeforeAll
    void start() throws Exception {
        data = Files.createTempDirectory("vigil-it-").resolve("data");
        output = data.getParent().resolve("vigil.out");
        // free ports for the API and the re-stream: another recorder on this machine may hold 8443 or 8554, and
        // this test wants a log without warnings
        for (String setting : new String[] {"api.port=0", "api.rtspPort=0"}) {
            Vigil.Result set = Vigil.run("config", "set", setting, "--data", data.toString());
            assertEquals(0, set.exit(), set.all());
        }
        vigil = Vigil.start(output, "run", "--headless", "--data", data.toString());
        boolean ready = Vigil.waitUntil(Duration.ofSeconds(60), () -> Vigil.read(output).contains(" is ready in "));
        assertTrue(ready, "not ready within 60 s: " + Vigil.read(output));
    }

    @AfterAll
    void stop() throws Exception {
        if (vigil != null && vigil.isAlive()) {
            vigil.descendants().forEach(ProcessHandle::destroyForcibly);
            vigil.destroyForcibly();
        }
    }

    private String d() {
        return data.toString();
    }

    @Test
    @Order(1)
    void statusThroughTheSocketNamesThisProcess() throws Exception {
        Vigil.Result r = Vigil.run("status", "--data", d());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("(PID " + vigil.pid() + ","), r.out());
        Vigil.Result json = Vigil.run("--json", "status", "--data", d());
        JsonObject o = JsonParser.parseString(json.out()).getAsJsonObject();
        assertTrue(o.get("running").getAsBoolean());
        assertEquals(vigil.pid(), o.get("pid").getAsLong());
        assertEquals(0, o.getAsJsonArray("bundles_not_active").size(), "every bundle is active: " + json.out());
    }

    @Test
    @Order(2)
    void theDataDirectoryAndSocketAreOwnerOnly() throws Exception {
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data)));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("control.sock"))));
    }

    @Test
    @Order(3)
    void aSecondRecorderOnTheSameDirectoryIsRefusedNamingThePid() throws Exception {
        Vigil.Result r = Vigil.run("run", "--headless", "--data", d());
        assertEquals(1, r.exit(), r.all());
        assertTrue(r.err().contains("in use by another Vigil (PID " + vigil.pid() + ")"), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    @Order(4)
    void theShellRunsGogoAndVigilCommands() throws Exception {
        Vigil.Result r = Vigil.run(Duration.ofSeconds(60), "vigil:bundles\nlb\nexit\n", "shell", "--data", d());
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains("org.vigil.core"), r.out());
        assertTrue(r.out().contains("vigil> "), r.out());
    }

    @Test
    @Order(5)
    void aBundleDroppedIntoPluginsStartsAndItsRemovalStopsIt() throws Exception {
        Path plugins = Vigil.HOME.resolve("plugins");
        Files.createDirectories(plugins);
        Path jar = plugins.resolve("org.vigil.test.dropin.jar");
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.vigil.test.dropin");
        a.putValue("Bundle-Version", "1.0.0");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os, m)) {
            j.flush();
        }
        try {
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> bundleState("org.vigil.test.dropin").equals("active")),
                    "the dropped bundle did not start");
        } finally {
            Files.deleteIfExists(jar);
        }
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> bundleState("org.vigil.test.dropin").isEmpty()),
                "the removed bundle is still installed");
    }

    private String bundleState(String name) {
        try {
            Vigil.Result r = Vigil.run("bundles", "--data", d());
            for (String line : r.out().split("\n")) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 3 && f[2].equals(name)) {
                    return f[1];
                }
            }
            return "";
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    @Test
    @Order(6)
    void camerasAreConfiguredThroughTheSocketAndPasswordsNeverShown() throws Exception {
        Vigil.Result add = Vigil.run("camera", "add", "gate", "rtsp://admin:s3cret@127.0.0.1:8554/stream", "--name",
                "Gate", "--data", d());
        assertEquals(0, add.exit(), add.all());
        Vigil.Result list = Vigil.run("camera", "list", "--data", d());
        assertEquals(0, list.exit(), list.all());
        assertTrue(list.out().contains("gate"), list.out());
        assertFalse(list.all().contains("s3cret"), "the password is masked: " + list.all());
        assertTrue(list.out().contains("admin:***@"), list.out());
        Vigil.Result bad = Vigil.run("camera", "add", "../../etc", "rtsp://127.0.0.1/x", "--data", d());
        assertEquals(1, bad.exit(), "an invalid value is refused: " + bad.all());
        assertEquals(1, bad.err().strip().lines().count(), bad.err());
    }

    @Test
    @Order(7)
    void aRelativeFileNameIsTheUsersNotTheInstances() throws Exception {
        Path here = Files.createTempDirectory("vigil-cwd-");
        Vigil.Result r = Vigil.runIn(here, "config", "export", "setup.json", "--data", d());
        assertEquals(0, r.exit(), r.all());
        assertTrue(Files.isRegularFile(here.resolve("setup.json")), r.out());
        assertFalse(Files.readString(here.resolve("setup.json")).contains("s3cret"));
    }

    @Test
    @Order(10)
    void sigtermStopsEverythingWithExitCode0() throws Exception {
        Vigil.sigterm(vigil);
        assertTrue(vigil.waitFor(60, TimeUnit.SECONDS), "did not stop within 60 s after SIGTERM");
        String out = Vigil.read(output);
        assertEquals(0, vigil.exitValue(), out);
        assertTrue(out.contains("Vigil stopped cleanly"), out);
        assertFalse(out.contains("still running"), out);
        assertFalse(Files.exists(data.resolve("control.sock")), "the socket is removed");
        try (FileChannel ch = FileChannel.open(data.resolve("lock"), StandardOpenOption.WRITE);
                FileLock lock = ch.tryLock()) {
            assertTrue(lock != null, "the data directory's lock was released: the core components deactivated");
        }
        String log = Vigil.read(data.resolve("logs/vigil-0.log"));
        assertTrue(log.contains("is ready in"), "the log file is written: " + log);
        assertFalse(log.contains(" ERROR "), "no error in the log:\n" + log);
        assertFalse(log.contains(" WARN "), "no warning in the log:\n" + log);
    }
}
