package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

import com.google.gson.JsonParser;

/**
 * Issue 22 item 14: {@code vigil shell} printed camera passwords ({@code (cm:getConfiguration org.vigil.camera~sec)
 * properties}). Through the real launcher: a recorder with a camera whose URL has a password, and one whose RTSP
 * server asks for it; the shell's Configuration Admin and component commands print no password, the camera with
 * the password still records, and the other one sends its password to its server; a password left in a camera
 * configuration by an older database is moved out at the next start.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CameraPasswordShellTest {
    /** Random, so that finding it anywhere can only mean the password was printed. */
    private static final String PASSWORD = "Pw" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    private static final String ASKED = "Ask" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    private Path root;
    private Path data;
    private Path log;
    private Process vigil;
    private Process democam;
    /** The demo camera's H.264 stream: {@code 127.0.0.1:PORT/h264}, no password needed. */
    private String stream;
    private ServerSocket asking;
    private Thread askingThread;
    private final List<String> authorizations = new CopyOnWriteArrayList<>();

    @BeforeAll
    void start() throws Exception {
        root = Files.createTempDirectory("vigil-pw-shell-");
        data = root.resolve("data");
        log = root.resolve("vigil.out");
        asking = new ServerSocket(0, 8, InetAddress.getLoopbackAddress());
        askingThread = new Thread(this::askForPasswords, "RTSP server asking for a password");
        askingThread.start();
        // a camera of its own process, so that it outlives a restart of the recorder
        Path democamOut = root.resolve("democam.out");
        democam = Vigil.start(democamOut, "democam");
        Pattern url = Pattern.compile("h264\\s+rtsp://(127\\.0\\.0\\.1:\\d+/h264)\\s");
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> url.matcher(Vigil.read(democamOut)).find()),
                "no H.264 URL printed: " + Vigil.read(democamOut));
        Matcher m = url.matcher(Vigil.read(democamOut));
        assertTrue(m.find());
        stream = m.group(1);
        vigil = Vigil.start(log, "run", "--headless", "--data", data.toString());
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(120), () -> Vigil.read(log).contains(" is ready in ")),
                "not ready: " + Vigil.read(log));
    }

    @AfterAll
    void stop() throws Exception {
        if (vigil != null && vigil.isAlive()) {
            Vigil.sigterm(vigil);
            if (!vigil.waitFor(60, TimeUnit.SECONDS)) {
                vigil.destroyForcibly();
            }
        }
        if (democam != null && democam.isAlive()) {
            Vigil.sigterm(democam);
            if (!democam.waitFor(30, TimeUnit.SECONDS)) {
                democam.destroyForcibly();
            }
        }
        if (asking != null) {
            asking.close();
            askingThread.join(10_000);
        }
        if (root != null) {
            try (Stream<Path> walk = Files.walk(root)) {
                walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    @Test
    @Order(1)
    void theShellPrintsNoPasswordWhileTheCameraRecordsAndSendsIt() throws Exception {
        String d = data.toString();
        Vigil.Result set = Vigil.run("camera", "add", "sec", "rtsp://admin:" + PASSWORD + "@" + stream, "--segment",
                "3", "--data", d);
        assertEquals(0, set.exit(), set.all());
        Vigil.Result add = Vigil.run("camera", "add", "asks", "rtsp://admin:" + ASKED + "@127.0.0.1:"
                + asking.getLocalPort() + "/stream", "--data", d);
        assertEquals(0, add.exit(), add.all());

        assertTrue(Vigil.waitUntil(Duration.ofSeconds(120), () -> recordings() >= 2),
                "the camera with a password records: " + Vigil.read(log));
        String expected = "Basic " + Base64.getEncoder().encodeToString(("admin:" + ASKED)
                .getBytes(StandardCharsets.UTF_8));
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> authorizations.contains(expected)),
                "the camera sent its password to the server that asked for it: " + authorizations);

        Vigil.Result shell = Vigil.run(Duration.ofSeconds(60), String.join("\n",
                "(cm:getConfiguration org.vigil.camera~sec) properties",
                "(cm:getConfiguration org.vigil.camera~asks) properties",
                "cm:listConfigurations \"(service.factoryPid=org.vigil.camera)\"",
                "scr:info org.vigil.camera.internal.CameraSupervisor", "exit", ""), "shell", "--data", d);
        assertEquals(0, shell.exit(), shell.all());
        String out = shell.all();
        assertTrue(out.contains("rtsp://admin@" + stream), "the shell printed the camera's configuration: " + out);
        assertTrue(out.contains("rtsp://admin@127.0.0.1:" + asking.getLocalPort() + "/stream"), out);
        assertTrue(out.contains("urlSecret"), out);
        assertFalse(out.contains(PASSWORD) || out.contains(ASKED), "the shell printed a password: " + out);

        Vigil.Result list = Vigil.run("camera", "list", "--data", d);
        assertTrue(list.out().contains("rtsp://admin:***@" + stream), list.all());
        assertFalse(list.all().contains(PASSWORD), list.all());
        for (Path p : List.of(log, data.resolve("logs/vigil-0.log"))) {
            String text = Vigil.read(p);
            assertFalse(text.isEmpty(), p.toString());
            assertFalse(text.contains(PASSWORD) || text.contains(ASKED), "no password in " + p);
        }
    }

    @Test
    @Order(2)
    void aPasswordLeftInTheConfigurationOfAnOlderDatabaseIsMovedOutAtStart() throws Exception {
        String d = data.toString();
        assertEquals(0, Vigil.run("camera", "remove", "asks", "--data", d).exit());
        Vigil.sigterm(vigil);
        assertTrue(vigil.waitFor(60, TimeUnit.SECONDS), "the recorder stops");
        Path db = data.resolve("config.db");
        assertEquals("rtsp://admin@" + stream, sql(db,
                "SELECT value FROM property WHERE pid = 'org.vigil.camera~sec' AND name = 'url'"));
        // config.db as schema 2 kept it: the password in the URL, no passwords table
        sql(db, "UPDATE property SET value = 'rtsp://admin:" + PASSWORD + "@" + stream
                + "' WHERE pid = 'org.vigil.camera~sec' AND name = 'url';"
                + " DELETE FROM property WHERE name IN ('urlSecret', 'subUrlSecret'); DROP TABLE camera_secret;"
                + " DELETE FROM schema_history WHERE version = 3; PRAGMA user_version = 2;");

        log = root.resolve("vigil-2.out");
        vigil = Vigil.start(log, "run", "--headless", "--data", d);
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(120), () -> Vigil.read(log).contains(" is ready in ")),
                "not ready: " + Vigil.read(log));
        assertFalse(sql(db, "SELECT value FROM property WHERE name = 'url'").contains(PASSWORD),
                "the password left the configuration");
        assertEquals("1", sql(db, "SELECT count(*) FROM camera_secret"));
        Vigil.Result shell = Vigil.run(Duration.ofSeconds(60),
                "(cm:getConfiguration org.vigil.camera~sec) properties\nexit\n", "shell", "--data", d);
        assertTrue(shell.all().contains("urlSecret"), shell.all());
        assertFalse(shell.all().contains(PASSWORD), "the shell printed the password: " + shell.all());
        int before = recordings();
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(120), () -> recordings() >= before + 2),
                "the camera records with its moved password: " + Vigil.read(log));
    }

    /** What the sqlite3 program prints for {@code statements} on {@code db}. */
    private static String sql(Path db, String statements) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("sqlite3", db.toString(), statements).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "sqlite3 ended");
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private int recordings() {
        try {
            Vigil.Result r = Vigil.run("recordings", "list", "--json", "--camera", "sec", "--data", data.toString());
            return r.exit() != 0 ? -1
                    : JsonParser.parseString(r.out()).getAsJsonObject().getAsJsonArray("segments").size();
        } catch (IOException | InterruptedException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * A minimal RTSP server that asks for a password (401 with a Basic challenge) and notes the Authorization
     * headers it receives; it answers those with 404 (it has no stream).
     */
    private void askForPasswords() {
        while (!asking.isClosed()) {
            try (Socket s = asking.accept()) {
                s.setSoTimeout(10_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(),
                        StandardCharsets.US_ASCII));
                OutputStream out = s.getOutputStream();
                String cseq = "0";
                String auth = null;
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.regionMatches(true, 0, "CSeq:", 0, 5)) {
                        cseq = line.substring(5).strip();
                    } else if (line.regionMatches(true, 0, "Authorization:", 0, 14)) {
                        auth = line.substring(14).strip();
                    } else if (line.isEmpty()) {
                        String reply;
                        if (auth == null) {
                            reply = "RTSP/1.0 401 Unauthorized\r\nCSeq: " + cseq
                                    + "\r\nWWW-Authenticate: Basic realm=\"vigil-test\"\r\n\r\n";
                        } else {
                            authorizations.add(auth);
                            reply = "RTSP/1.0 404 Not Found\r\nCSeq: " + cseq + "\r\n\r\n";
                        }
                        out.write(reply.getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        auth = null;
                    }
                }
            } catch (IOException e) {
                // the camera hung up, or the server was closed
            }
        }
    }
}
