package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonObject;

/**
 * Issue 14 item 7: bad input gets one JSON error with a sentence and the right status, never a stack trace, and the
 * recorder keeps answering: throttled logins, oversized and malformed bodies, encoded path traversal, requests
 * Jetty's parser refuses, clients that stop halfway, 100 clients at once, a port another program holds; the secrets
 * stay out of the settings and logs; beyond loopback only once an admin exists.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiSecurityTest {
    static final Duration WAIT = Duration.ofSeconds(90);

    private ApiRecorder api;

    @TempDir
    static Path temp;

    @BeforeAll
    void start() throws Exception {
        // tokens of this recorder expire after a minute (the shortest setting), for the expiry test
        api = ApiRecorder.start(temp.resolve("shared"), Map.of("api.tokenMinutes", "1"));
    }

    @AfterAll
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Test
    @Order(1)
    void fiveFailuresFromAnAddressThen429WithRetryAfterForBasicAndLogin() throws Exception {
        String from = "127.0.0.21";
        for (int i = 0; i < 5; i++) {
            ApiRecorder.Response r = api.curlAs(ApiRecorder.VIEWER + ":wrong-password-" + i, "/api/me", "--interface",
                    from);
            assertEquals(401, r.status(), "failure " + (i + 1) + ": " + r);
        }
        ApiRecorder.Response throttled = api.curlAs(ApiRecorder.VIEWER + ":wrong-password", "/api/me", "--interface",
                from);
        assertEquals(429, throttled.status(), throttled.toString());
        assertTrue(Long.parseLong(throttled.header("Retry-After")) > 0, throttled.toString());
        assertTrue(throttled.error().contains("Too many failed logins"), throttled.toString());
        // even the right password waits from there; other addresses are not affected
        assertEquals(429, api.curl(ApiRecorder.VIEWER, "/api/me", "--interface", from).status());
        assertEquals(200, api.curl(ApiRecorder.VIEWER, "/api/me").status());
        ApiRecorder.Response login = api.curlAs(null, "/api/login", "-X", "POST", "-H",
                "Content-Type: application/json", "--data", "{\"user\": \"viewer\", \"password\": \"x\"}",
                "--interface", from);
        assertEquals(429, login.status(), "the login endpoint is throttled the same way: " + login);
    }

    @Test
    @Order(10)
    void aTokenExpiresAfterApiTokenMinutes() throws Exception {
        ApiRecorder.Response login = api.curlAs(null, "/api/login", "-X", "POST", "-H",
                "Content-Type: application/json", "--data", "{\"user\": \"operator\", \"password\": \""
                        + ApiRecorder.PASSWORD + "\"}");
        assertEquals(200, login.status(), login.toString());
        Instant expires = Instant.parse(login.object().get("expires").getAsString());
        assertTrue(expires.isBefore(Instant.now().plusSeconds(61)), "api.tokenMinutes=1: " + login);
        String token = login.object().get("token").getAsString();
        assertEquals(200, api.curlToken(token, "/api/me").status());
        assertTrue(Vigil.waitUntil(Duration.ofSeconds(150), () -> {
            try {
                ApiRecorder.Response r = api.curlToken(token, "/api/me");
                return r.status() == 401 && r.error().contains("expired");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }), "the token expires");
    }

    @Test
    @Order(2)
    void oversizedMalformedAndWronglyTypedBodiesGetOneSentence() throws Exception {
        Path big = api.dir().resolve("big.json");
        Files.writeString(big, "{\"name\": \"" + "x".repeat(2 << 20) + "\"}");
        ApiRecorder.Response tooBig = api.curl(ApiRecorder.ADMIN, "/api/users", "-X", "POST", "-H",
                "Content-Type: application/json", "--data-binary", "@" + big);
        assertEquals(413, tooBig.status(), ApiRecorder.shorter(tooBig));
        assertTrue(tooBig.error().contains("at most"), tooBig.toString());
        ApiRecorder.Response chunked = api.curl(ApiRecorder.ADMIN, "/api/users", "-X", "POST", "-H",
                "Content-Type: application/json", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + big);
        assertEquals(413, chunked.status(), "a body without a length is bounded too");

        for (String bad : new String[] {"{\"name\": ", "[1, 2", "{\"name\": \"a\"} trailing", "nul"}) {
            ApiRecorder.Response r = api.send(ApiRecorder.ADMIN, "POST", "/api/users", bad);
            assertEquals(400, r.status(), bad + ": " + r);
            assertTrue(r.error().startsWith("The body is not valid JSON"), r.toString());
            noInternals(r);
        }
        ApiRecorder.Response typed = api.send(ApiRecorder.ADMIN, "POST", "/api/users", "{\"name\": {\"a\": 1}}");
        assertEquals(400, typed.status(), typed.toString());
        noInternals(typed);
        ApiRecorder.Response xml = api.curl(ApiRecorder.ADMIN, "/api/users", "-X", "POST", "-H",
                "Content-Type: application/xml", "--data", "<user/>");
        assertEquals(415, xml.status(), xml.toString());
        assertEquals(200, api.curl(ApiRecorder.VIEWER, "/api/me").status(), "the recorder still answers");
    }

    @Test
    @Order(3)
    void pathTraversalAndParserErrorsNeverShowAStackTrace() throws Exception {
        for (String path : new String[] {"/api/users/..%2f..%2fetc%2fpasswd", "/api/users/%2e%2e/x",
                "/api/users/a%00b", "/api/../../etc/passwd", "/api/users/%5c..%5c", "/api/%zz"}) {
            ApiRecorder.Response r = api.curl(ApiRecorder.ADMIN, path, "--path-as-is");
            assertTrue(r.status() == 400 || r.status() == 404, path + ": " + r);
            assertFalse(r.body().contains("root:"), path + " reached a file: " + r);
            noInternals(r);
        }
        // a request line that Jetty's parser refuses, through a real TLS client
        for (String raw : new String[] {"BLAH\r\n\r\n", "GET /api/me HTTP/1.1\r\nHost: x\r\nX: \u0001\r\n\r\n",
                "GET /" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: x\r\n\r\n"}) {
            Vigil.Result r = ApiRecorder.exec(raw, "openssl", "s_client", "-quiet", "-connect",
                    api.base().substring("https://".length()));
            String answer = r.out();
            assertTrue(answer.startsWith("HTTP/1.1 4"), "refused: " + answer);
            assertTrue(answer.length() < 2000, "a short answer: " + answer);
            assertFalse(answer.contains("Exception") || answer.contains("\tat "), answer);
        }
        assertEquals(200, api.curl(ApiRecorder.VIEWER, "/api/me").status(), "the recorder still answers");
    }

    @Test
    @Order(4)
    void clientsThatStopHalfwayAreClosedAndDoNotBlockOthers() throws Exception {
        String[] hostPort = api.base().substring("https://".length()).split(":");
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 60; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress(hostPort[0], Integer.parseInt(hostPort[1])), 10_000);
                // the first bytes of a TLS handshake, then nothing
                s.getOutputStream().write(new byte[] {0x16, 0x03, 0x01});
                s.getOutputStream().flush();
                stalled.add(s);
            }
            // more stalled connections than Jetty has threads: others are still answered
            assertEquals(200, api.curl(ApiRecorder.VIEWER, "/api/me").status());
            // and the server's idle timeout closes every stalled one
            long deadline = System.nanoTime() + WAIT.toNanos();
            for (Socket s : stalled) {
                s.setSoTimeout((int) Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                try (InputStream in = s.getInputStream()) {
                    int b;
                    do {
                        b = in.read();
                    } while (b >= 0);
                } catch (SocketTimeoutException e) {
                    throw new AssertionError("a stalled connection was still open after " + WAIT);
                } catch (IOException e) {
                    // reset by the server: closed too
                }
            }
        } finally {
            for (Socket s : stalled) {
                s.close();
            }
        }
    }

    @Test
    @Order(5)
    void aHundredClientsAtOnceAreAllAnswered() throws Exception {
        Path out = api.dir().resolve("parallel");
        Files.createDirectories(out);
        Vigil.Result r = ApiRecorder.exec("user = \"" + ApiRecorder.VIEWER + ":" + ApiRecorder.PASSWORD + "\"\n",
                "curl", "-sS", "--cacert", api.cacert().toString(), "--max-time", "120", "-K", "-", "--parallel",
                "--parallel-immediate", "--parallel-max", "100", "-w", "%{http_code}\\n", "-o", out + "/#1.json",
                api.base() + "/api/me?n=[1-100]");
        List<String> codes = r.out().lines().toList();
        assertEquals(100, codes.size(), r.all());
        assertEquals(100, codes.stream().filter("200"::equals).count(), r.all());
        try (Stream<Path> files = Files.list(out)) {
            assertEquals(100, files.filter(f -> ApiSecurityTest.read(f).contains("\"viewer\"")).count());
        }
    }

    @Test
    @Order(6)
    void theKeyStorePasswordIsNeitherInTheSettingsNorInTheLogs() throws Exception {
        String password = Files.readString(api.data().resolve("web/https.pass")).strip();
        assertTrue(password.length() >= 16);
        try (Stream<Path> all = Files.walk(api.data())) {
            for (Path f : all.filter(Files::isRegularFile).toList()) {
                if (f.getFileName().toString().equals("https.pass") || f.getFileName().toString().endsWith(".sock")) {
                    continue;
                }
                byte[] bytes = Files.readAllBytes(f);
                assertFalse(new String(bytes, StandardCharsets.ISO_8859_1).contains(password),
                        "the key store's password is in " + f);
            }
        }
        assertFalse(api.output().contains(password), "the key store's password is in the output");
        for (String[] command : new String[][] {{"config", "get"}, {"config", "export", "--with-secrets"}}) {
            Vigil.Result shown = api.vigil(command);
            assertEquals(0, shown.exit(), shown.all());
            assertFalse(shown.all().contains(password), String.join(" ", command) + " shows it: " + shown.all());
        }
    }

    @Test
    @Order(7)
    void onlyTls12AndAbove() throws Exception {
        String hostPort = api.base().substring("https://".length());
        Vigil.Result old = ApiRecorder.exec("", "openssl", "s_client", "-connect", hostPort, "-tls1_1", "-cipher",
                "DEFAULT@SECLEVEL=0");
        assertNotEquals(0, old.exit(), "TLS 1.1 is refused: " + old.all());
        assertTrue(old.out().contains("Cipher is (NONE)"), "no TLS 1.1 session: " + old.all());
        Vigil.Result tls12 = ApiRecorder.exec("", "openssl", "s_client", "-connect", hostPort, "-tls1_2");
        assertTrue(tls12.out().contains("TLSv1.2"), tls12.all());
    }

    @Test
    @Order(8)
    void aPortAnotherProgramHoldsIsOneSentenceAndTheApiComesUpOnceItIsFree() throws Exception {
        int original = Integer.parseInt(api.base().substring(api.base().lastIndexOf(':') + 1));
        String logBefore = api.output();
        int[] takenPort = new int[1];
        try (ServerSocket other = new ServerSocket(0, 5, InetAddress.getByName("127.0.0.1"))) {
            int taken = other.getLocalPort();
            takenPort[0] = taken;
            assertEquals(0, api.vigil("config", "set", "api.port=" + taken).exit());
            assertTrue(Vigil.waitUntil(WAIT, () -> problem().map(p -> p.contains("another program")).orElse(false)),
                    "status names the problem: " + statusText());
            JsonObject s = api.status();
            assertTrue(s.getAsJsonArray("urls").isEmpty(), "no URL while the port is taken: " + s);
            assertTrue(api.process().isAlive());
            String logged = api.output().substring(logBefore.length());
            assertTrue(logged.contains("cannot listen on 127.0.0.1:" + taken), logged);
            assertFalse(logged.contains("\tat "), "no stack trace in the log: " + logged);
        }
        // the other program stopped: the API comes up on that port by itself
        assertTrue(Vigil.waitUntil(WAIT, () -> problem().isEmpty() && urls().size() == 1), statusText());
        String url = urls().get(0);
        assertTrue(url.contains(":" + takenPort[0] + "/"), url);
        ApiRecorder.Response r = api.curl(ApiRecorder.VIEWER, "/api/me", "--max-time", "10");
        assertEquals(0, r.status(), "the old port no longer answers: " + r);
        // back to the test's port for the tests that follow
        assertEquals(0, api.vigil("config", "set", "api.port=" + original).exit());
        assertTrue(Vigil.waitUntil(WAIT, () -> urls().equals(List.of(api.base() + "/api/"))), statusText());
        assertTrue(Vigil.waitUntil(WAIT, () -> answers()), "the API answers again");
    }

    @Test
    @Order(9)
    void beyondLoopbackOnlyOnceAnAdminExistsFollowedLive() throws Exception {
        int plain;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            plain = s.getLocalPort();
        }
        try (ApiRecorder open = ApiRecorder.start(temp.resolve("open"), Map.of("api.listen", "0.0.0.0", "api.httpPort",
                Integer.toString(plain)), false)) {
            JsonObject s = open.status();
            assertEquals("127.0.0.1", s.get("listen").getAsString(), s.toString());
            assertTrue(s.get("problem").getAsString().contains("until an admin user exists"), s.toString());
            assertTrue(open.output().contains("until an admin user exists"), open.output());
            assertEquals("127.0.0.1:" + port(open), listening(port(open)),
                    "the socket is bound to loopback only without an admin");
            assertTrue(accepts("127.0.0.1", plain), "plain HTTP on loopback while the API is on loopback");

            Vigil.Result added = ApiRecorder.exec(ApiRecorder.PASSWORD + "\n", Vigil.BIN.toString(), "user", "add",
                    "root-admin", "--role", "admin", "--password-stdin", "--data", open.data().toString());
            assertEquals(0, added.exit(), added.all());
            assertTrue(Vigil.waitUntil(WAIT, () -> "0.0.0.0".equals(field(open, "listen"))),
                    "the API follows api.listen once an admin exists: " + open.status());
            assertTrue(Vigil.waitUntil(WAIT, () -> field(open, "problem") == null), open.status().toString());
            // the socket the kernel lists (ss): bound to every address now; no traffic leaves loopback in tests
            assertTrue(Vigil.waitUntil(WAIT, () -> listening(port(open)).equals("0.0.0.0:" + port(open))
                    || listening(port(open)).equals("*:" + port(open))), "listens on every address: "
                    + listening(port(open)));
            Vigil.Result r = ApiRecorder.exec("user = \"root-admin:" + ApiRecorder.PASSWORD + "\"\n", "curl", "-sS",
                    "--cacert", open.cacert().toString(), "-K", "-", "-w", "\n%{http_code}",
                    "https://127.0.0.1:" + port(open) + "/api/me");
            assertTrue(r.out().endsWith("200"), "and the new admin is answered: " + r.all());
            assertTrue(Vigil.waitUntil(WAIT, () -> !accepts("127.0.0.1", plain)),
                    "no plain HTTP once the API listens beyond loopback");
        }
    }

    private static int port(ApiRecorder r) {
        return Integer.parseInt(r.base().substring(r.base().lastIndexOf(':') + 1));
    }

    private static String field(ApiRecorder r, String name) {
        try {
            JsonObject s = r.status();
            return s.get(name).isJsonNull() ? null : s.get(name).getAsString();
        } catch (IOException | InterruptedException e) {
            return "?";
        }
    }

    private Optional<String> problem() {
        return Optional.ofNullable(field(api, "problem"));
    }

    private List<String> urls() {
        try {
            List<String> l = new ArrayList<>();
            api.status().getAsJsonArray("urls").forEach(u -> l.add(u.getAsString()));
            return l;
        } catch (IOException | InterruptedException e) {
            return List.of();
        }
    }

    private String statusText() {
        try {
            return api.status().toString();
        } catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    private boolean answers() {
        try {
            return api.curl(ApiRecorder.VIEWER, "/api/me").status() == 200;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private static boolean accepts(String host, int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The local address of the TCP socket listening on {@code port}, as {@code ss} shows it, or "". */
    private static String listening(int port) {
        try {
            Vigil.Result r = ApiRecorder.exec("", "ss", "-ltnH", "sport = :" + port);
            return r.out().lines().map(l -> l.trim().split("\\s+")).filter(f -> f.length >= 4).map(f -> f[3])
                    .findFirst().orElse("").replace("[::ffff:", "").replace("]", "");
        } catch (IOException | InterruptedException e) {
            return "";
        }
    }

    private static void noInternals(ApiRecorder.Response r) {
        assertFalse(r.body().contains("Exception") || r.body().contains("\tat ") || r.body().contains("java."),
                "no internals: " + r);
    }

    private static String read(Path f) {
        return Vigil.read(f);
    }
}
