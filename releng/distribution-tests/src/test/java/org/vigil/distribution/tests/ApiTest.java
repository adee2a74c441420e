package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * Issue 14: the recorder's HTTPS API as clients nobody here wrote use it: curl (the certificate that 'vigil api
 * status' names, HTTP Basic for each role, tokens, users, the audit log, the OpenAPI document) and a small Python
 * client of the event stream.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ApiTest {
    static final Duration WAIT = Duration.ofSeconds(60);

    private ApiRecorder api;
    private Path script;
    private final List<Process> clients = new ArrayList<>();

    @TempDir
    static Path temp;

    @BeforeAll
    void start() throws Exception {
        api = ApiRecorder.start(temp);
        script = api.dir().resolve("sse_client.py");
        try (InputStream in = ApiTest.class.getResourceAsStream("/sse_client.py")) {
            Files.copy(in, script);
        }
    }

    @AfterEach
    void stopClients() throws InterruptedException {
        for (Process p : clients) {
            p.destroy();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        clients.clear();
    }

    @AfterAll
    void stop() throws Exception {
        if (api != null) {
            api.close();
        }
    }

    @Test
    void eachRoleIsToldWhoItIs() throws Exception {
        for (String user : new String[] {ApiRecorder.ADMIN, ApiRecorder.OPERATOR, ApiRecorder.VIEWER}) {
            ApiRecorder.Response r = api.curl(user, "/api/me");
            assertEquals(200, r.status(), r.toString());
            assertEquals(user, r.object().get("user").getAsString(), r.toString());
            assertEquals(user, r.object().get("role").getAsString(), r.toString());
            assertEquals("127.0.0.1", r.object().get("address").getAsString(), r.toString());
        }
    }

    @Test
    void withoutCredentialsTheAnswerIs401WithASentence() throws Exception {
        ApiRecorder.Response r = api.curl(null, "/api/me");
        assertEquals(401, r.status(), r.toString());
        assertTrue(r.header("WWW-Authenticate").startsWith("Basic"), r.toString());
        assertTrue(r.error().contains("user name and password"), r.toString());
        // failures from an address of their own (127/8 is all loopback): the throttle counts per address
        ApiRecorder.Response wrong = api.curlAs(ApiRecorder.VIEWER + ":not-the-password", "/api/me", "--interface",
                "127.0.0.11");
        assertEquals(401, wrong.status(), wrong.toString());
        assertFalse(wrong.body().contains("Exception"), wrong.toString());
    }

    @Test
    void statusShowsTheFingerprintOfTheCertificateServed() throws Exception {
        Vigil.Result r = api.vigil("api", "status");
        assertEquals(0, r.exit(), r.all());
        assertTrue(r.out().contains(api.base() + "/api/"), r.all());
        assertTrue(r.out().contains(api.fingerprint()), r.all());
        assertTrue(Files.size(api.cacert()) > 0);
        // and the recorder said so in its log too
        assertTrue(api.output().contains(api.fingerprint()), api.output());
    }

    @Test
    void anUnknownPathIsAJson404InsideAndOutsideTheApi() throws Exception {
        ApiRecorder.Response r = api.curl(ApiRecorder.ADMIN, "/api/no/such/thing");
        assertEquals(404, r.status(), r.toString());
        assertTrue(r.error().contains("/api/no/such/thing"), r.toString());
        ApiRecorder.Response outside = api.curl(ApiRecorder.ADMIN, "/index.html");
        assertEquals(404, outside.status(), outside.toString());
        assertTrue(outside.error().contains("/api/"), outside.toString());
    }

    @Test
    void aTokenFromLoginWorksUntilLogout() throws Exception {
        String token = login(ApiRecorder.OPERATOR, ApiRecorder.PASSWORD);
        ApiRecorder.Response me = api.curlToken(token, "/api/me");
        assertEquals(200, me.status(), me.toString());
        assertEquals("operator", me.object().get("role").getAsString());
        ApiRecorder.Response out = api.curlToken(token, "/api/login", "-X", "DELETE");
        assertEquals(204, out.status(), out.toString());
        ApiRecorder.Response after = api.curlToken(token, "/api/me");
        assertEquals(401, after.status(), after.toString());
        assertTrue(after.error().contains("log in again"), after.toString());
    }

    @Test
    void aForgedTokenOrAWrongPasswordGets401WithASentence() throws Exception {
        ApiRecorder.Response forged = api.curlToken("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "/api/me");
        assertEquals(401, forged.status(), forged.toString());
        assertTrue(forged.error().contains("not valid or has expired"), forged.toString());
        ApiRecorder.Response wrong = loginAnswer(ApiRecorder.VIEWER, "not-the-password", "127.0.0.12");
        assertEquals(401, wrong.status(), wrong.toString());
        assertTrue(wrong.error().contains("wrong"), wrong.toString());
        ApiRecorder.Response basicToLogout = api.curl(ApiRecorder.VIEWER, "/api/login", "-X", "DELETE");
        assertEquals(400, basicToLogout.status(), basicToLogout.toString());
    }

    @Test
    void aUsersTokensEndWhenThePasswordOrRoleChangesOrTheUserIsRemoved() throws Exception {
        addUser("tina", "viewer", "tinas-password-1");
        String first = login("tina", "tinas-password-1");
        ApiRecorder.Response pw = api.send(ApiRecorder.ADMIN, "PUT", "/api/users/tina/password",
                "{\"password\": \"tinas-password-2\"}");
        assertEquals(204, pw.status(), pw.toString());
        assertEquals(401, api.curlToken(first, "/api/me").status(), "the token ended with the password change");
        assertEquals(401, api.curlAs("tina:tinas-password-1", "/api/me", "--interface", "127.0.0.13").status(),
                "the old password no longer works");

        String second = login("tina", "tinas-password-2");
        assertEquals(200, api.curlToken(second, "/api/me").status());
        ApiRecorder.Response role = api.send(ApiRecorder.ADMIN, "PUT", "/api/users/tina/role", "{\"role\": \"operator\"}");
        assertEquals(200, role.status(), role.toString());
        assertEquals("operator", role.object().get("role").getAsString());
        assertEquals(401, api.curlToken(second, "/api/me").status(), "the token ended with the role change");

        String third = login("tina", "tinas-password-2");
        assertEquals("operator", api.curlToken(third, "/api/me").object().get("role").getAsString());
        ApiRecorder.Response gone = api.curl(ApiRecorder.ADMIN, "/api/users/tina", "-X", "DELETE");
        assertEquals(204, gone.status(), gone.toString());
        assertEquals(401, api.curlToken(third, "/api/me").status(), "the token ended with the user");
        // a user removed on the recorder's machine ends the tokens too
        addUser("uma", "viewer", "umas-password-1");
        String local = login("uma", "umas-password-1");
        Vigil.Result removed = api.vigil("user", "remove", "uma");
        assertEquals(0, removed.exit(), removed.all());
        assertEquals(401, api.curlToken(local, "/api/me").status(), "the token ended with 'vigil user remove'");
    }

    @Test
    void onlyAnAdminManagesUsersAndEveryChangeIsAudited() throws Exception {
        Instant before = Instant.now().minusSeconds(1);
        for (String user : new String[] {ApiRecorder.OPERATOR, ApiRecorder.VIEWER}) {
            ApiRecorder.Response r = api.curl(user, "/api/users");
            assertEquals(403, r.status(), r.toString());
            assertTrue(r.error().contains("needs the role admin"), r.toString());
            assertEquals(403, api.send(user, "POST", "/api/users",
                    "{\"name\": \"mallory\", \"role\": \"admin\", \"password\": \"mallorys-password\"}").status());
            assertEquals(403, api.curl(user, "/api/audit").status());
        }
        ApiRecorder.Response list = api.curl(ApiRecorder.ADMIN, "/api/users");
        assertEquals(200, list.status(), list.toString());
        assertEquals(3, countNamed(list, ApiRecorder.ADMIN, ApiRecorder.OPERATOR, ApiRecorder.VIEWER), list.toString());
        assertFalse(list.body().contains("hash"), "no password hash is ever shown: " + list);

        addUser("victor", "viewer", "victors-password");
        ApiRecorder.Response taken = api.send(ApiRecorder.ADMIN, "POST", "/api/users",
                "{\"name\": \"victor\", \"role\": \"viewer\", \"password\": \"another-password\"}");
        assertEquals(409, taken.status(), taken.toString());
        ApiRecorder.Response shortPw = api.send(ApiRecorder.ADMIN, "POST", "/api/users",
                "{\"name\": \"walter\", \"role\": \"viewer\", \"password\": \"short\"}");
        assertEquals(400, shortPw.status(), shortPw.toString());
        assertTrue(shortPw.error().contains("at least"), shortPw.toString());
        ApiRecorder.Response badRole = api.send(ApiRecorder.ADMIN, "POST", "/api/users",
                "{\"name\": \"walter\", \"role\": \"king\", \"password\": \"walters-password\"}");
        assertEquals(400, badRole.status(), badRole.toString());
        assertTrue(badRole.error().contains("admin, operator or viewer"), badRole.toString());
        ApiRecorder.Response lastAdmin = api.curl(ApiRecorder.ADMIN, "/api/users/admin", "-X", "DELETE");
        assertEquals(409, lastAdmin.status(), lastAdmin.toString());
        assertEquals(404, api.curl(ApiRecorder.ADMIN, "/api/users/nobody", "-X", "DELETE").status());

        ApiRecorder.Response audit = api.curl(ApiRecorder.ADMIN, "/api/audit?since=" + before + "&limit=1000");
        assertEquals(200, audit.status(), audit.toString());
        JsonObject added = null;
        for (JsonElement e : audit.object().getAsJsonArray("items")) {
            JsonObject o = e.getAsJsonObject();
            if (o.get("action").getAsString().equals("user.add") && o.get("target").getAsString().equals("victor")) {
                added = o;
            }
        }
        assertNotNull(added, "the audit log has victor's addition: " + audit);
        assertEquals("admin", added.get("actor").getAsString());
        assertEquals("127.0.0.1", added.get("from").getAsString());
        // the same entry as 'vigil audit' shows it
        Vigil.Result local = api.vigil("audit");
        assertEquals(0, local.exit(), local.all());
        assertTrue(local.out().contains("victor"), local.all());
        ApiRecorder.Response absurd = api.curl(ApiRecorder.ADMIN, "/api/audit?since=1960-01-01T00:00:00Z");
        assertEquals(400, absurd.status(), absurd.toString());
    }

    @Test
    void aViewerChangesTheirOwnPasswordGivingTheOldOne() throws Exception {
        addUser("wendy", "viewer", "wendys-password-1");
        ApiRecorder.Response other = sendAs("wendy:wendys-password-1", "PUT", "/api/users/viewer/password",
                "{\"password\": \"hijacked-password\", \"old_password\": \"wendys-password-1\"}");
        assertEquals(403, other.status(), "a viewer may not set another user's password: " + other);
        ApiRecorder.Response noOld = sendAs("wendy:wendys-password-1", "PUT", "/api/users/wendy/password",
                "{\"password\": \"wendys-password-2\"}");
        assertEquals(400, noOld.status(), noOld.toString());
        assertTrue(noOld.error().contains("old_password"), noOld.toString());
        ApiRecorder.Response wrongOld = sendAs("wendy:wendys-password-1", "PUT", "/api/users/wendy/password",
                "{\"password\": \"wendys-password-2\", \"old_password\": \"not-it-at-all\"}", "--interface",
                "127.0.0.14");
        assertEquals(403, wrongOld.status(), wrongOld.toString());
        ApiRecorder.Response ok = sendAs("wendy:wendys-password-1", "PUT", "/api/users/wendy/password",
                "{\"password\": \"wendys-password-2\", \"old_password\": \"wendys-password-1\"}");
        assertEquals(204, ok.status(), ok.toString());
        assertEquals(200, api.curlAs("wendy:wendys-password-2", "/api/me").status());
        assertEquals(401, api.curlAs("wendy:wendys-password-1", "/api/me", "--interface", "127.0.0.15").status());
    }

    @Test
    void eventsReachAPythonClientAndUserChangesOnlyAdmins() throws Exception {
        Path adminOut = api.dir().resolve("events-admin.txt");
        Path viewerOut = api.dir().resolve("events-viewer.txt");
        Process admin = sse("read", ApiRecorder.ADMIN, "90", adminOut);
        Process viewer = sse("read", ApiRecorder.VIEWER, "90", viewerOut);
        assertTrue(Vigil.waitUntil(WAIT, () -> Vigil.read(adminOut).contains("CONNECTED")
                && Vigil.read(viewerOut).contains("CONNECTED")), "the clients connect: " + Vigil.read(adminOut)
                + Vigil.read(viewerOut));
        addUser("xavier", "viewer", "xaviers-password");
        assertTrue(Vigil.waitUntil(WAIT, () -> Vigil.read(adminOut).contains("\"xavier\"")),
                "the admin's client hears of xavier: " + Vigil.read(adminOut));
        String line = Vigil.read(adminOut).lines().filter(l -> l.contains("xavier")).findFirst().orElseThrow();
        JsonObject event = JsonParser.parseString(line).getAsJsonObject();
        assertEquals("user.changed", event.get("event").getAsString());
        assertTrue(Long.parseLong(event.get("id").getAsString()) > 0, line);
        assertEquals("added", event.getAsJsonObject("data").get("change").getAsString());
        assertEquals("admin", event.getAsJsonObject("data").get("by").getAsString());
        assertTrue(admin.isAlive() && viewer.isAlive());
        assertFalse(Vigil.read(viewerOut).contains("xavier"), "a viewer does not see user changes: "
                + Vigil.read(viewerOut));
    }

    @Test
    @Order(1)
    void atMost32EventClientsThenA503WithASentence() throws Exception {
        // first of the class: no other test's event clients yet (a client that went away is noticed only at the
        // next write, the heartbeat every 15 s, and counts until then)
        Path out = api.dir().resolve("events-hold.txt");
        Process p = sse("hold", ApiRecorder.VIEWER, "32", out);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the 33 connections were answered: " + Vigil.read(out));
        List<String> lines = Vigil.read(out).lines().toList();
        assertEquals(33, lines.size(), Vigil.read(out));
        assertEquals(32, lines.stream().filter("200"::equals).count(), Vigil.read(out));
        assertTrue(lines.get(32).startsWith("503 ") && lines.get(32).contains("32 clients"), Vigil.read(out));
        // the 32 closed: clients get in again (two at once, as the next test needs)
        Path again = api.dir().resolve("events-again.txt");
        assertTrue(Vigil.waitUntil(WAIT, () -> {
            try {
                Process q = sse("hold", ApiRecorder.VIEWER, "1", again);
                return q.waitFor(60, TimeUnit.SECONDS) && Vigil.read(again).equals("200\n200\n");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }), "clients are served once the others left: " + Vigil.read(again));
    }

    @Test
    void theOpenApiDocumentListsTheEndpointsOfTheActiveBundles() throws Exception {
        ApiRecorder.Response r = api.curl(ApiRecorder.VIEWER, "/api/openapi.json");
        assertEquals(200, r.status(), r.toString());
        JsonObject doc = r.object();
        assertTrue(doc.get("openapi").getAsString().startsWith("3.0"), r.toString());
        assertFalse(doc.getAsJsonObject("info").get("version").getAsString().isBlank());
        JsonObject paths = doc.getAsJsonObject("paths");
        for (String p : new String[] {"/api/login", "/api/users", "/api/users/{name}/password", "/api/audit",
                "/api/events", "/api/me"}) {
            assertTrue(paths.has(p), p + " is documented: " + paths.keySet());
        }
        JsonObject schemes = doc.getAsJsonObject("components").getAsJsonObject("securitySchemes");
        assertEquals("basic", schemes.getAsJsonObject("basic").get("scheme").getAsString());
        assertEquals("bearer", schemes.getAsJsonObject("bearer").get("scheme").getAsString());

        // a bundle dropped into plugins/ adds its paths; removed, they are gone
        Path jar = Vigil.HOME.resolve("plugins").resolve("org.vigil.test.openapi.jar");
        Files.createDirectories(jar.getParent());
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "org.vigil.test.openapi");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Vigil-OpenAPI", "api/openapi.json");
        try (OutputStream os = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(os, m)) {
            j.putNextEntry(new JarEntry("api/openapi.json"));
            j.write("{\"paths\": {\"/api/test-dropin\": {\"get\": {\"summary\": \"a test\", \"responses\": {}}}}}"
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            j.closeEntry();
        }
        try {
            assertTrue(Vigil.waitUntil(WAIT, () -> documented("/api/test-dropin")), "the dropped bundle's path"
                    + " appears");
        } finally {
            Files.deleteIfExists(jar);
        }
        assertTrue(Vigil.waitUntil(WAIT, () -> !documented("/api/test-dropin")), "the removed bundle's path is gone");
    }

    private boolean documented(String path) {
        try {
            ApiRecorder.Response r = api.curl(ApiRecorder.VIEWER, "/api/openapi.json");
            return r.status() == 200 && r.object().getAsJsonObject("paths").has(path);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    private Process sse(String mode, String user, String arg, Path out) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("python3", script.toString(), mode, api.base() + "/api/events",
                api.cacert().toString(), user, arg).redirectOutput(out.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(api.dir().resolve("sse-errors.txt").toFile()));
        pb.environment().put("VIGIL_PASSWORD", ApiRecorder.PASSWORD);
        Process p = pb.start();
        clients.add(p);
        return p;
    }

    private static int countNamed(ApiRecorder.Response list, String... names) {
        int n = 0;
        for (JsonElement e : list.object().getAsJsonArray("items")) {
            if (List.of(names).contains(e.getAsJsonObject().get("name").getAsString())) {
                n++;
            }
        }
        return n;
    }

    private void addUser(String name, String role, String password) throws Exception {
        ApiRecorder.Response r = api.send(ApiRecorder.ADMIN, "POST", "/api/users", "{\"name\": \"" + name
                + "\", \"role\": \"" + role + "\", \"password\": \"" + password + "\"}");
        assertEquals(201, r.status(), r.toString());
        assertEquals(role, r.object().get("role").getAsString());
    }

    private ApiRecorder.Response loginAnswer(String user, String password) throws Exception {
        return loginAnswer(user, password, "127.0.0.1");
    }

    private ApiRecorder.Response loginAnswer(String user, String password, String from) throws Exception {
        Path body = Files.createTempFile(api.dir(), "login", ".json");
        try {
            Files.writeString(body, "{\"user\": \"" + user + "\", \"password\": \"" + password + "\"}");
            return api.curlAs(null, "/api/login", "-X", "POST", "-H", "Content-Type: application/json",
                    "--data-binary", "@" + body, "--interface", from);
        } finally {
            Files.deleteIfExists(body);
        }
    }

    private String login(String user, String password) throws Exception {
        ApiRecorder.Response r = loginAnswer(user, password);
        assertEquals(200, r.status(), r.toString());
        assertEquals(user, r.object().get("user").getAsString());
        assertTrue(Instant.parse(r.object().get("expires").getAsString()).isAfter(Instant.now()), r.toString());
        String token = r.object().get("token").getAsString();
        assertTrue(token.length() >= 43, "at least 256 bits: " + token);
        return token;
    }

    private ApiRecorder.Response sendAs(String userColonPassword, String method, String path, String json,
            String... more) throws Exception {
        Path body = Files.createTempFile(api.dir(), "body", ".json");
        try {
            Files.writeString(body, json);
            List<String> args = new ArrayList<>(List.of("-X", method, "-H", "Content-Type: application/json",
                    "--data-binary", "@" + body));
            args.addAll(List.of(more));
            return api.curlAs(userColonPassword, path, args.toArray(String[]::new));
        } finally {
            Files.deleteIfExists(body);
        }
    }
}
