package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 22, items 11 and 14: another local user can neither capture what vigil sends (a data directory others can
 * write, a control socket of its own put in the way) nor use a running recorder of root's, and is told so in one
 * sentence. Runs as root and makes a second local user ({@value #OTHER}, a system user without a home, kept for the
 * next run); its commands run through setpriv.
 */
class LocalUsersTest {
    static final String OTHER = "vigil-other";
    static final String PASSWORD = "TopSecret";
    static final String CAMERA_URL = "rtsp://admin:" + PASSWORD + "@127.0.0.1:8554/cam";
    static final Duration READY = Duration.ofSeconds(180);

    static String uid;
    static String gid;

    @TempDir
    Path temp;

    private final List<Process> started = new ArrayList<>();

    @BeforeAll
    static void secondUser() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "only root can make and become a second user");
        if (exec("id", "-u", OTHER).exit() != 0) {
            Vigil.Result made = exec("useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", OTHER);
            assertEquals(0, made.exit(), "useradd " + OTHER + ": " + made.all());
        }
        uid = exec("id", "-u", OTHER).out().strip();
        gid = exec("id", "-g", OTHER).out().strip();
    }

    @BeforeEach
    void letTheOtherUserIn() throws IOException {
        // JUnit's folder is 0700: the other user may pass through it (to its own folder, the probe), nothing more
        Files.setPosixFilePermissions(temp, PosixFilePermissions.fromString("rwx--x--x"));
        try (InputStream in = resource("ControlProbe.java")) {
            Files.copy(in, temp.resolve("ControlProbe.java"));
        }
        Files.setPosixFilePermissions(temp.resolve("ControlProbe.java"), PosixFilePermissions.fromString("rw-r--r--"));
    }

    @AfterEach
    void stopEverything() throws Exception {
        for (Process p : started) {
            if (p.isAlive()) {
                Vigil.sigterm(p);
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                }
            }
        }
    }

    @Test
    void aDataDirectoryOthersCanWriteIsRefusedWithWhatToRun() throws Exception {
        Path data = Files.createDirectory(temp.resolve("open"));
        for (String mode : List.of("rwxrwxrwx", "rwxrwx---", "rwx---rwx")) {
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString(mode));
            for (String[] command : List.of(new String[] { "run", "--headless" }, new String[] { "status" },
                    new String[] { "camera", "add", "t1", CAMERA_URL }, new String[] { "camera", "list" })) {
                Vigil.Result r = vigil(false, data, command);
                assertEquals(1, r.exit(), mode + " " + String.join(" ", command) + ": " + r.all());
                LauncherTest.assertOneCleanSentence(r);
                assertTrue(r.err().contains("can be written by") && r.err().contains("'chmod 700 " + data + "'"),
                        r.err());
            }
        }
        try (var left = Files.list(data)) {
            assertEquals(List.of(), left.toList(), "nothing was written into the open directory");
        }
        // once it is its owner's alone, it is used
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
        Vigil.Result r = vigil(false, data, "camera", "list");
        assertEquals(0, r.exit(), r.all());
    }

    @Test
    void anotherUsersRunningRecorderCannotBeUsedAndSaysWhose() throws Exception {
        Path data = temp.resolve("root-data");
        Path log = temp.resolve("recorder.out");
        Process recorder = Vigil.start(log, "run", "--headless", "--data", data.toString());
        started.add(recorder);
        assertTrue(Vigil.waitUntil(READY, () -> Vigil.read(log).contains(" is ready in ") || !recorder.isAlive()),
                "not ready: " + Vigil.read(log));

        for (String[] command : List.of(new String[] { "status" }, new String[] { "camera", "list" },
                new String[] { "camera", "add", "t1", CAMERA_URL }, new String[] { "shell" })) {
            Vigil.Result r = vigil(true, data, command);
            assertEquals(1, r.exit(), String.join(" ", command) + ": " + r.all());
            LauncherTest.assertOneCleanSentence(r);
            assertTrue(r.err().contains("The data directory " + data + " belongs to user root; run vigil as root"
                    + " (or with sudo -u root)"), r.err());
        }
        // a directory that cannot even be looked at says so
        Files.createDirectory(temp.resolve("root-only"), PosixFilePermissions.asFileAttribute(
                PosixFilePermissions.fromString("rwx------")));
        Vigil.Result hidden = vigil(true, temp.resolve("root-only").resolve("data"), "status");
        assertEquals(1, hidden.exit(), hidden.all());
        LauncherTest.assertOneCleanSentence(hidden);
        assertTrue(hidden.err().contains("cannot be read by you (permission denied)"), hidden.err());

        // the server's own check: with the directory and the socket opened up, a client of the other user that
        // speaks the protocol itself (no bin/vigil checks) is still answered with one sentence and exit code 1
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx--x--x"));
        Files.setPosixFilePermissions(data.resolve("control.sock"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Vigil.Result probe = asOther(Duration.ofSeconds(90), probe(), "client", data.resolve("control.sock").toString(),
                "camera", "list");
        assertTrue(probe.out().contains("X: 1"), probe.all());
        assertTrue(probe.out().contains("runs as user root and takes commands only from root, not from " + OTHER),
                probe.all());
        assertFalse(probe.out().contains("O: "), "no output of the command: " + probe.all());
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> Vigil.read(data.resolve("logs/vigil-0.log"))
                .contains("A process of user " + OTHER + " connected to the control socket and was refused")),
                Vigil.read(data.resolve("logs/vigil-0.log")));

        // root's own commands still work, and the recorder still runs
        Vigil.Result own = vigil(false, data, "camera", "list");
        assertEquals(0, own.exit(), own.all());
        assertTrue(recorder.isAlive(), Vigil.read(log));
    }

    @Test
    void aControlSocketOfAnotherUserGetsNothing() throws Exception {
        Path others = Files.createDirectory(temp.resolve("others"));
        exec("chown", uid + ":" + gid, others.toString());
        Files.setPosixFilePermissions(others, PosixFilePermissions.fromString("rwx------"));

        // 1. root is given the other user's data directory, where its fake control.sock listens: refused (item a)
        Path fakeLog1 = temp.resolve("fake1.out");
        fakeServer(others.resolve("control.sock"), fakeLog1);
        Vigil.Result r = vigil(false, others, "camera", "add", "t1", CAMERA_URL);
        assertEquals(1, r.exit(), r.all());
        LauncherTest.assertOneCleanSentence(r);
        assertTrue(r.err().contains("The data directory " + others + " belongs to user " + OTHER + "; run vigil as "
                + OTHER + " (or with sudo -u " + OTHER + ")"), r.err());

        // 2. the other user's socket put into root's own directory (as it could while the directory was open): the
        // file's owner is checked before connecting
        Path fakeLog2 = temp.resolve("fake2.out");
        Path planted2 = fakeServer(others.resolve("s2.sock"), fakeLog2);
        Path data2 = Files.createDirectory(temp.resolve("data2"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.move(planted2, data2.resolve("control.sock"));
        r = vigil(false, data2, "camera", "add", "t1", CAMERA_URL);
        assertEquals(1, r.exit(), r.all());
        LauncherTest.assertOneCleanSentence(r);
        assertTrue(r.err().contains("The control socket " + data2.resolve("control.sock") + " belongs to user " + OTHER
                + ", not to you (root); Vigil sent nothing to it"), r.err());

        // 3. the same socket handed over to root: the file passes, the peer's credentials do not
        Path fakeLog3 = temp.resolve("fake3.out");
        Path planted3 = fakeServer(others.resolve("s3.sock"), fakeLog3);
        Path data3 = Files.createDirectory(temp.resolve("data3"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        assertEquals(0, exec("chown", "root:root", planted3.toString()).exit());
        Files.move(planted3, data3.resolve("control.sock"));
        r = vigil(false, data3, "camera", "add", "t1", CAMERA_URL);
        assertEquals(1, r.exit(), r.all());
        LauncherTest.assertOneCleanSentence(r);
        assertTrue(r.err().contains("The process behind the control socket " + data3.resolve("control.sock")
                + " runs as user " + OTHER + ", not as you (root); Vigil sent nothing to it"), r.err());
        // the fake server saw the connection, and the client closed it without sending a byte
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> Vigil.read(fakeLog3).contains("closed after ")),
                Vigil.read(fakeLog3));
        assertTrue(Vigil.read(fakeLog3).contains("closed after 0 bytes"), Vigil.read(fakeLog3));

        for (Path fakeLog : List.of(fakeLog1, fakeLog2, fakeLog3)) {
            assertFalse(Vigil.read(fakeLog).contains(PASSWORD), Vigil.read(fakeLog));
        }
        assertFalse(Vigil.read(fakeLog1).contains("accepted"), "never connected: " + Vigil.read(fakeLog1));
        assertFalse(Vigil.read(fakeLog2).contains("accepted"), "never connected: " + Vigil.read(fakeLog2));
        try (var left = Files.list(data2)) {
            assertEquals(List.of(data2.resolve("control.sock")), left.toList(), "no one-shot framework took over");
        }
    }

    // --- helpers ---------------------------------------------------------------------------------------------

    /** Starts the probe's fake control socket at {@code socket} as the other user; returns once it listens. */
    private Path fakeServer(Path socket, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(setpriv());
        cmd.addAll(List.of(java(), probe().toString(), "server", socket.toString(), "170"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        started.add(p);
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(90), () -> Vigil.read(log).contains("listening") || !p.isAlive()),
                "the fake server did not start: " + Vigil.read(log));
        assertTrue(p.isAlive(), Vigil.read(log));
        return socket;
    }

    private Path probe() {
        return temp.resolve("ControlProbe.java");
    }

    private static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    private List<String> setpriv() {
        return List.of("setpriv", "--reuid=" + uid, "--regid=" + gid, "--clear-groups", "--");
    }

    /** {@code bin/vigil --data DATA args...}, as the other user or as root. */
    private Vigil.Result vigil(boolean asOther, Path data, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(args));
        cmd.add("--data");
        cmd.add(data.toString());
        if (!asOther) {
            return Vigil.run(Duration.ofSeconds(120), null, cmd.toArray(String[]::new));
        }
        cmd.add(0, Vigil.BIN.toString());
        return asOther(Duration.ofSeconds(120), cmd.toArray(String[]::new));
    }

    private Vigil.Result asOther(Duration timeout, Path javaSource, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java(), javaSource.toString()));
        cmd.addAll(List.of(args));
        return asOther(timeout, cmd.toArray(String[]::new));
    }

    private Vigil.Result asOther(Duration timeout, String... command) throws Exception {
        List<String> cmd = new ArrayList<>(setpriv());
        cmd.addAll(List.of(command));
        return run(timeout, cmd);
    }

    private static Vigil.Result exec(String... command) throws Exception {
        return run(Duration.ofSeconds(60), List.of(command));
    }

    private static Vigil.Result run(Duration timeout, List<String> cmd) throws Exception {
        Path out = Files.createTempFile("vigil-out", ".txt");
        Path err = Files.createTempFile("vigil-err", ".txt");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().remove("VIGIL_DATA");
            pb.environment().remove("DISPLAY");
            pb.environment().remove("WAYLAND_DISPLAY");
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeout);
            }
            return new Vigil.Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = LocalUsersTest.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new AssertionError(name + " is missing from the test resources");
        }
        return in;
    }
}
