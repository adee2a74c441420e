package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import com.google.gson.JsonArray;
import com.google.gson.JsonParser;

/**
 * The Debian packages with the real dpkg on this (throwaway) machine (issue 16): install, the service's user and
 * folders, the unit checked by systemd-analyze, the recorder run as the unit runs it (user vigil, its environment;
 * PID 1 here is not systemd), a recording of the demo camera, an upgrade to a rebuilt package that keeps and plays
 * it (served by the signed APT repository the build makes, a foreign key refused), lintian clean, remove
 * (everything kept) and purge (settings gone, recordings kept). Needs root; refuses to touch a machine
 * where Vigil is installed or /var/lib/vigil exists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DebianPackageTest {
    private static final Path DATA = Path.of("/var/lib/vigil");
    private static final Path DEBS = Path.of(System.getProperty("vigil.debs", "../packages/target/debs"));
    private static final Path PACKAGING = Path.of(System.getProperty("vigil.packaging", "../packages"));

    private Path work;
    private Process recorder;
    private boolean installed;

    record Run(int exit, String out) {
    }

    @BeforeAll
    void onlyOnAMachineWithoutVigil() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "installing packages needs root");
        assumeTrue(!run("dpkg-query", "-W", "-f=${Status}", "vigil").out().contains("install ok installed"),
                "Vigil is installed on this machine: this test installs and purges its own");
        assumeTrue(!Files.exists(DATA), DATA + " exists: this test would use it");
        work = Files.createTempDirectory("vigil-deb-");
        // apt checks signatures as its own user (_apt): the test's repository and keyrings must be readable to it
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterAll
    void cleanUp() throws Exception {
        stopRecorder();
        if (installed) {
            run("dpkg", "--purge", "vigil-workbench", "vigil");
        }
        if (work != null) {
            // the lists apt kept of the test's repository
            try (Stream<Path> lists = Files.list(Path.of("/var/lib/apt/lists"))) {
                String prefix = work.toString().replace('/', '_');
                lists.filter(p -> p.getFileName().toString().startsWith(prefix)).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                // nothing kept
            }
            delete(work);
            delete(DATA);
            run("deluser", "--quiet", "vigil");
        }
    }

    @Test
    void installRecordUpgradeRemovePurge() throws Exception {
        // a PC's and a Raspberry Pi's packages; this machine installs its own architecture's
        List<Path> all = debs(DEBS);
        assertEquals(4, all.size(), "vigil and vigil-workbench for amd64 and arm64 in " + DEBS + ": " + all);
        String arch = run("dpkg", "--print-architecture").out().strip();
        List<Path> first = all.stream().filter(p -> p.getFileName().toString().endsWith("_" + arch + ".deb")).toList();
        assertEquals(2, first.size(), "this machine's (" + arch + ") packages: " + all);
        for (Path deb : all) {
            String a = deb.getFileName().toString().endsWith("_arm64.deb") ? "arm64" : "amd64";
            assertEquals(a, run("dpkg-deb", "--field", deb.toString(), "Architecture").out().strip(), deb.toString());
            if (deb.getFileName().toString().startsWith("vigil-workbench_")) {
                String files = run("dpkg-deb", "--contents", deb.toString()).out();
                String swt = a.equals("arm64") ? "aarch64" : "x86_64";
                String other = a.equals("arm64") ? "x86_64" : "aarch64";
                assertTrue(files.contains("org.eclipse.swt.gtk.linux." + swt + "_"), "SWT for " + a + ": " + files);
                assertFalse(files.contains("org.eclipse.swt.gtk.linux." + other + "_"), "only " + a + "'s SWT");
            }
        }
        Run info = run("dpkg-deb", "--field", first.stream().filter(p -> p.getFileName().toString().startsWith(
                "vigil_")).findFirst().orElseThrow().toString(), "Depends");
        assertFalse(info.out().contains("libgtk") || info.out().contains("swt"), "no desktop dependency: " + info);
        assertFalse(info.out().matches("(?s).*\\(= [0-9].*"), "lower bounds only: " + info);

        // lintian: clean, but for the tags the packages override (each explained in docs/BUILDING.md)
        Run lintian = run(lintianCommand(all));
        assertEquals(0, lintian.exit(), "lintian: " + lintian.out());
        assertFalse(lintian.out().lines().anyMatch(l -> l.matches("^[EW]: .*")), "lintian: " + lintian.out());

        Run install = run(withDpkg("-i", first));
        installed = true;
        assertEquals(0, install.exit(), install.out());

        // the service's user, its data directory and the code it cannot change
        assertTrue(run("id", "vigil").exit() == 0, "the package made the user vigil");
        PosixFileAttributes data = Files.readAttributes(DATA, PosixFileAttributes.class);
        assertEquals("vigil", data.owner().getName());
        assertEquals("rwx------", PosixFilePermissions.toString(data.permissions()));
        PosixFileAttributes plugins = Files.readAttributes(Path.of("/usr/lib/vigil/plugins"),
                PosixFileAttributes.class);
        assertEquals("root", plugins.owner().getName(), "a break-in cannot leave code in plugins/");
        assertEquals("rwxr-xr-x", PosixFilePermissions.toString(plugins.permissions()));
        Run recorderFiles = run("dpkg", "-L", "vigil");
        assertFalse(recorderFiles.out().contains("org.vigil.ui") || recorderFiles.out().contains("swt"),
                "the workbench's bundles come with vigil-workbench only: " + recorderFiles.out());
        assertTrue(run("dpkg", "-L", "vigil-workbench").out().contains("/usr/lib/vigil/bundle/org.vigil.ui_"));
        assertTrue(Files.exists(Path.of("/usr/share/applications/vigil.desktop")));

        Run verify = run("systemd-analyze", "verify", "/lib/systemd/system/vigil.service");
        assertEquals(0, verify.exit(), "systemd-analyze verify: " + verify.out());
        Run security = run("systemd-analyze", "security", "--offline=yes", "/lib/systemd/system/vigil.service");
        assertTrue(security.out().contains("Overall exposure level for vigil.service"), security.out());
        System.out.println("systemd-analyze security: " + security.out().lines().filter(l -> l.contains("Overall"))
                .findFirst().orElse(""));

        // the recorder as the unit starts it, and root's 'vigil' command reaching it
        startRecorder("first");
        Run set = run("/usr/bin/vigil", "camera", "set", "demo", "segment=3");
        assertEquals(0, set.exit(), set.out());
        assertTrue(waitUntil(Duration.ofSeconds(120), () -> segments().size() >= 1), "no recording: " + log("first"));
        String recorded = segments().get(0);
        assertTrue(recorded.startsWith(DATA.resolve("recordings").toString()), recorded);
        assertEquals("vigil", Files.getOwner(Path.of(recorded)).getName(), "recordings belong to the service");
        stopRecorder();

        // an upgrade to a rebuilt package keeps the recording, and it plays
        Path second = Files.createDirectories(work.resolve("second"));
        Run rebuild = run(Duration.ofMinutes(5), List.of("bash", PACKAGING.resolve("build-debs.sh").toString(),
                Vigil.HOME.toString(), "1.0.0-SNAPSHOT", second.toString()), List.of("VIGIL_DEB_VERSION="
                + "99.0.0~test1"));
        assertEquals(0, rebuild.exit(), rebuild.out());
        // ... served by the product's signed APT repository, as a box in the field gets it with 'apt upgrade'
        Path repo = work.resolve("apt");
        Run made = run(Duration.ofMinutes(2), List.of("bash", PACKAGING.resolve("make-apt-repo.sh").toString(),
                second.toString(), repo.toString()), List.of());
        assertEquals(0, made.exit(), made.out());
        Path foreignKey = foreignKeyring();
        Run foreign = apt(repo, foreignKey, "update");
        assertTrue(foreign.out().contains("NO_PUBKEY"), "apt says the signature is not trusted: " + foreign.out());
        Run offered = apt(repo, foreignKey, "install", "--simulate", "--only-upgrade", "vigil");
        assertFalse(offered.out().contains("99.0.0~test1"), "a repository apt cannot trust offers nothing: "
                + offered.out());
        Run update = apt(repo, repo.resolve("archive-keyring.gpg"), "update");
        assertEquals(0, update.exit(), update.out());
        assertFalse(update.out().contains("NO_PUBKEY") || update.out().contains("not signed"), update.out());
        Run upgrade = apt(repo, repo.resolve("archive-keyring.gpg"), "install", "-y", "--only-upgrade", "vigil",
                "vigil-workbench");
        assertEquals(0, upgrade.exit(), upgrade.out());
        assertTrue(run("dpkg-query", "-W", "-f=${Version}", "vigil").out().equals("99.0.0~test1"));
        startRecorder("upgraded");
        assertTrue(segments().contains(recorded), "the recording from before the upgrade is listed");
        Run probe = run("ffprobe", "-v", "error", "-show_entries", "format=duration", "-of", "csv=p=0", recorded);
        assertEquals(0, probe.exit(), probe.out());
        assertTrue(Double.parseDouble(probe.out().strip()) > 1, "it plays: " + probe.out());
        stopRecorder();

        // remove keeps everything; purge removes settings and users, never recordings
        Run remove = run("dpkg", "--remove", "vigil-workbench", "vigil");
        assertEquals(0, remove.exit(), remove.out());
        assertFalse(Files.exists(Path.of("/usr/lib/vigil/bin/vigil")));
        assertTrue(Files.exists(DATA.resolve("config.db")), "remove keeps the settings");
        assertTrue(Files.exists(Path.of(recorded)));
        Run purge = run("dpkg", "--purge", "vigil-workbench", "vigil");
        assertEquals(0, purge.exit(), purge.out());
        installed = false;
        assertTrue(purge.out().contains("the recordings in /var/lib/vigil were kept"), purge.out());
        assertFalse(Files.exists(DATA.resolve("config.db")), "purge removes the settings");
        assertTrue(Files.exists(Path.of(recorded)), "purge never deletes a recording");
        assertTrue(Files.exists(DATA.resolve("catalog.db")), "nor their catalog");
    }

    private void startRecorder(String name) throws IOException, InterruptedException {
        Path log = work.resolve(name + ".out");
        // as vigil.service runs it: User=vigil, Environment=VIGIL_DATA and VIGIL_JAVA_OPTS, ExecStart
        ProcessBuilder pb = new ProcessBuilder("setpriv", "--reuid=vigil", "--regid=vigil", "--init-groups",
                "--reset-env", "env", "VIGIL_DATA=/var/lib/vigil", "VIGIL_JAVA_OPTS=-Xmx384m",
                "/usr/lib/vigil/bin/vigil", "run", "--headless", "--demo").redirectErrorStream(true)
                .redirectOutput(log.toFile());
        recorder = pb.start();
        assertTrue(waitUntil(Duration.ofSeconds(120), () -> log(name).contains(" is ready in ")
                || !recorder.isAlive()), "not ready: " + log(name));
        assertTrue(recorder.isAlive(), "the recorder stopped: " + log(name));
        Run status = run("/usr/bin/vigil", "status");
        assertEquals(0, status.exit(), "root's vigil reaches the service's recorder: " + status.out());
        assertTrue(status.out().contains("(PID "), status.out());
    }

    private void stopRecorder() throws Exception {
        if (recorder != null && recorder.isAlive()) {
            for (ProcessHandle h : recorder.descendants().toList()) {
                new ProcessBuilder("kill", "-TERM", Long.toString(h.pid())).start().waitFor();
            }
            new ProcessBuilder("kill", "-TERM", Long.toString(recorder.pid())).start().waitFor();
            if (!recorder.waitFor(60, TimeUnit.SECONDS)) {
                recorder.descendants().forEach(ProcessHandle::destroyForcibly);
                recorder.destroyForcibly();
            }
        }
        recorder = null;
    }

    private String log(String name) {
        return Vigil.read(work.resolve(name + ".out"));
    }

    private List<String> segments() {
        try {
            Run r = run("/usr/bin/vigil", "recordings", "list", "--json", "--limit", "1000");
            if (r.exit() != 0) {
                return List.of();
            }
            JsonArray a = JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("segments");
            List<String> out = new ArrayList<>();
            a.forEach(e -> out.add(e.getAsJsonObject().get("path").getAsString()));
            return out;
        } catch (Exception e) {
            return List.of();
        }
    }

    /**
     * apt-get with only the test's repository as its source ({@code signed-by} the given keyring), so that no other
     * source is asked and nothing is fetched from beyond this machine.
     */
    private Run apt(Path repo, Path keyring, String... args) throws IOException, InterruptedException {
        Path list = work.resolve("vigil-test.list");
        Files.writeString(list, "deb [signed-by=" + keyring + "] file:" + repo + " stable main\n");
        List<String> cmd = new ArrayList<>(List.of("apt-get", "-o", "Dir::Etc::SourceList=" + list, "-o",
                "Dir::Etc::SourceParts=" + work.resolve("no-parts"), "-o", "APT::Get::List-Cleanup=0", "-o",
                "Acquire::Languages=none"));
        cmd.addAll(List.of(args));
        return run(Duration.ofMinutes(3), cmd, List.of());
    }

    /** The public key of a key made now, which signed nothing of ours. */
    private Path foreignKeyring() throws IOException, InterruptedException {
        Path home = Files.createDirectories(work.resolve("foreign-gnupg"));
        Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("rwx------"));
        Run gen = run("gpg", "--homedir", home.toString(), "--batch", "--pinentry-mode", "loopback", "--passphrase",
                "", "--quick-gen-key", "Someone else <other@vigil.invalid>", "ed25519", "sign", "never");
        assertEquals(0, gen.exit(), gen.out());
        Path keyring = work.resolve("foreign-keyring.gpg");
        Run export = run("gpg", "--homedir", home.toString(), "--batch", "--output", keyring.toString(), "--export");
        assertEquals(0, export.exit(), export.out());
        return keyring;
    }

    private static String[] lintianCommand(List<Path> debs) {
        List<String> cmd = new ArrayList<>(List.of("lintian", "--tag-display-limit", "0"));
        debs.forEach(p -> cmd.add(p.toString()));
        return cmd.toArray(String[]::new);
    }

    private static List<Path> debs(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".deb")).sorted().toList();
        }
    }

    private static String[] withDpkg(String action, List<Path> debs) {
        List<String> cmd = new ArrayList<>(List.of("dpkg", action));
        debs.forEach(p -> cmd.add(p.toString()));
        return cmd.toArray(String[]::new);
    }

    private static boolean waitUntil(Duration timeout, java.util.function.BooleanSupplier condition)
            throws InterruptedException {
        return Vigil.waitUntil(timeout, condition);
    }

    private static Run run(String... cmd) throws IOException, InterruptedException {
        return run(Duration.ofMinutes(3), List.of(cmd), List.of());
    }

    private static Run run(Duration timeout, List<String> cmd, List<String> env)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("VIGIL_DATA");
        pb.environment().remove("DISPLAY");
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        for (String e : env) {
            int eq = e.indexOf('=');
            pb.environment().put(e.substring(0, eq), e.substring(eq + 1));
        }
        Path out = Files.createTempFile("vigil-deb", ".out");
        try {
            Process p = pb.redirectOutput(out.toFile()).start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + timeout);
            }
            return new Run(p.exitValue(), Files.readString(out));
        } finally {
            Files.deleteIfExists(out);
        }
    }

    private static void delete(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
