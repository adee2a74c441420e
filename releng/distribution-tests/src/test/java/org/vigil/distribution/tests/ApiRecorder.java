package org.vigil.distribution.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;

/**
 * A recorder serving its HTTPS API for a test, used with real curl: {@code bin/vigil run --headless} on a data
 * directory of its own with {@code api.port=0} (several recorders run at once on a test machine, 8443 may be
 * taken), three users ({@link #ADMIN}, {@link #OPERATOR}, {@link #VIEWER}, password {@link #PASSWORD}), its base URL
 * read from {@code vigil api status --json}, and its certificate fetched with {@code openssl s_client} and checked
 * against the fingerprint that command shows (what a user does before trusting it), so curl verifies the server
 * with {@code --cacert} instead of {@code -k}.
 *
 * <pre>
 * try (ApiRecorder api = ApiRecorder.start(temp)) {
 *     ApiRecorder.Response r = api.curl(ApiRecorder.VIEWER, "/api/me");
 *     assertEquals(200, r.status(), r.toString());
 *     assertEquals("viewer", r.json().getAsJsonObject().get("role").getAsString());
 * }
 * </pre>
 */
final class ApiRecorder implements AutoCloseable {
    static final String ADMIN = "admin";
    static final String OPERATOR = "operator";
    static final String VIEWER = "viewer";
    /** Every test user's password. */
    static final String PASSWORD = "correct-horse-battery";
    static final Duration READY = Duration.ofSeconds(120);
    static final Duration CURL = Duration.ofSeconds(60);

    /** One curl answer: the HTTP status (0 when no answer came), the headers (names in lower case), the body. */
    record Response(int status, Map<String, String> headers, String body, String curlError) {
        JsonElement json() {
            try {
                return JsonParser.parseString(body);
            } catch (RuntimeException e) {
                throw new AssertionError("not JSON: " + this, e);
            }
        }

        JsonObject object() {
            return json().getAsJsonObject();
        }

        /** The error sentence of a JSON error answer. */
        String error() {
            return object().get("error").getAsString();
        }

        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        @Override
        public String toString() {
            return "HTTP " + status + " " + headers + " " + body + (curlError.isBlank() ? "" : " curl: " + curlError);
        }
    }

    /** {@code r} for a message, its body cut to 300 characters. */
    static String shorter(Response r) {
        String s = r.toString();
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private final Path dir;
    private final Path data;
    private final Path log;
    private final Process process;
    private final String base;
    private final Path cacert;
    private final String fingerprint;

    private ApiRecorder(Path dir, Path data, Path log, Process process, String base, Path cacert,
            String fingerprint) {
        this.dir = dir;
        this.data = data;
        this.log = log;
        this.process = process;
        this.base = base;
        this.cacert = cacert;
        this.fingerprint = fingerprint;
    }

    /** Starts a recorder in {@code dir}/data with the three users; its output goes to {@code dir}/vigil.out. */
    static ApiRecorder start(Path dir) throws IOException, InterruptedException {
        return start(dir, Map.of());
    }

    /** As above, with more settings ({@code key=value}, set before the recorder starts). */
    static ApiRecorder start(Path dir, Map<String, String> settings) throws IOException, InterruptedException {
        return start(dir, settings, true);
    }

    /** As above; without the three users when {@code users} is false (no admin: the API stays on loopback). */
    static ApiRecorder start(Path dir, Map<String, String> settings, boolean users)
            throws IOException, InterruptedException {
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        List<String> set = new ArrayList<>(List.of("config", "set", "api.port=0"));
        settings.forEach((k, v) -> set.add(k + "=" + v));
        set.add("--data");
        set.add(data.toString());
        check(Vigil.run(set.toArray(String[]::new)), "config set");
        Path log = dir.resolve("vigil.out");
        Process p = Vigil.start(log, "run", "--headless", "--data", data.toString());
        try {
            if (!Vigil.waitUntil(READY, () -> Vigil.read(log).contains(" is ready in ") || !p.isAlive())
                    || !p.isAlive()) {
                throw new AssertionError("the recorder was not ready within " + READY + ": " + Vigil.read(log));
            }
            for (String[] u : users ? new String[][] {{ADMIN, "admin"}, {OPERATOR, "operator"}, {VIEWER, "viewer"}}
                    : new String[0][]) {
                check(Vigil.run(CURL, PASSWORD + "\n", "user", "add", u[0], "--role", u[1], "--password-stdin",
                        "--data", data.toString()), "user add " + u[0]);
            }
            JsonObject status = null;
            long deadline = System.nanoTime() + READY.toNanos();
            while (System.nanoTime() < deadline) {
                Vigil.Result r = Vigil.run("api", "status", "--json", "--data", data.toString());
                if (r.exit() == 0) {
                    status = JsonParser.parseString(r.out()).getAsJsonObject();
                    if (!status.getAsJsonArray("urls").isEmpty()) {
                        break;
                    }
                }
                Thread.sleep(200);
            }
            if (status == null || status.getAsJsonArray("urls").isEmpty()) {
                throw new AssertionError("the API did not listen within " + READY + ": " + status + "\n"
                        + Vigil.read(log));
            }
            String url = status.getAsJsonArray("urls").get(0).getAsString();
            String base = url.endsWith("/api/") ? url.substring(0, url.length() - "/api/".length()) : url;
            String fingerprint = status.get("fingerprint_sha256").getAsString();
            Path cacert = dir.resolve("recorder.pem");
            fetchCertificate(base, cacert, fingerprint);
            return new ApiRecorder(dir, data, log, p, base, cacert, fingerprint);
        } catch (IOException | InterruptedException | RuntimeException | Error e) {
            stop(p);
            throw e;
        }
    }

    /** The certificate the server presents, saved as PEM, after checking it has the fingerprint status shows. */
    private static void fetchCertificate(String base, Path pem, String fingerprint)
            throws IOException, InterruptedException {
        String hostPort = base.substring("https://".length());
        Vigil.Result shown = exec(null, "sh", "-c", "openssl s_client -connect " + hostPort
                + " </dev/null 2>/dev/null | openssl x509 -outform PEM > '" + pem + "' && openssl x509 -in '" + pem
                + "' -noout -fingerprint -sha256");
        if (shown.exit() != 0 || !shown.out().toUpperCase(Locale.ROOT).contains(fingerprint.toUpperCase(Locale.ROOT))) {
            throw new AssertionError("the certificate at " + base + " does not have the fingerprint " + fingerprint
                    + " that 'vigil api status' shows: " + shown.all());
        }
    }

    /** The base URL, {@code https://127.0.0.1:PORT} (no trailing slash). */
    String base() {
        return base;
    }

    /** The recorder's certificate as PEM, for {@code curl --cacert} or Python's ssl module. */
    Path cacert() {
        return cacert;
    }

    String fingerprint() {
        return fingerprint;
    }

    Path data() {
        return data;
    }

    Path dir() {
        return dir;
    }

    Process process() {
        return process;
    }

    /** The recorder's output so far (its log). */
    String output() {
        return Vigil.read(log);
    }

    /** {@code vigil api status --json} now. */
    JsonObject status() throws IOException, InterruptedException {
        Vigil.Result r = vigil("api", "status", "--json");
        if (r.exit() != 0) {
            throw new AssertionError("vigil api status failed: " + r.all());
        }
        return JsonParser.parseString(r.out()).getAsJsonObject();
    }

    /** {@code vigil args... --data DATA} against this recorder. */
    Vigil.Result vigil(String... args) throws IOException, InterruptedException {
        List<String> a = new ArrayList<>(List.of(args));
        a.add("--data");
        a.add(data.toString());
        return Vigil.run(a.toArray(String[]::new));
    }

    /** GET {@code path} as {@code user} (one of the three, with {@link #PASSWORD}; null: no credentials). */
    Response curl(String user, String path, String... curlArgs) throws IOException, InterruptedException {
        return curlAs(user == null ? null : user + ":" + PASSWORD, path, curlArgs);
    }

    /**
     * {@code path} with {@code curlArgs} (e.g. {@code -X POST --data-binary @file -H ...}), with Basic credentials
     * {@code userColonPassword} (null: none), verifying the server with its certificate. The credentials go to curl
     * on its standard input, not its command line.
     */
    Response curlAs(String userColonPassword, String path, String... curlArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--cacert", cacert.toString(), "--max-time",
                Long.toString(CURL.toSeconds())));
        cmd.addAll(List.of(curlArgs));
        String stdin = null;
        if (userColonPassword != null) {
            cmd.add("-K");
            cmd.add("-");
            stdin = "user = \"" + userColonPassword.replace("\\", "\\\\").replace("\"", "\\\"") + "\"\n";
        }
        return curlRaw(stdin, base + path, cmd);
    }

    /** {@code path} with {@code Authorization: Bearer token}. */
    Response curlToken(String token, String path, String... curlArgs) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("curl", "-sS", "--cacert", cacert.toString(), "--max-time",
                Long.toString(CURL.toSeconds())));
        cmd.addAll(List.of(curlArgs));
        cmd.add("-K");
        cmd.add("-");
        return curlRaw("header = \"Authorization: Bearer " + token + "\"\n", base + path, cmd);
    }

    /** POST/PUT {@code json} to {@code path} as {@code user}. */
    Response send(String user, String method, String path, String json) throws IOException, InterruptedException {
        Path body = Files.createTempFile(dir, "body", ".json");
        try {
            Files.writeString(body, json);
            return curl(user, path, "-X", method, "-H", "Content-Type: application/json", "--data-binary",
                    "@" + body);
        } finally {
            Files.deleteIfExists(body);
        }
    }

    private Response curlRaw(String stdin, String url, List<String> cmd) throws IOException, InterruptedException {
        Path headers = Files.createTempFile(dir, "headers", ".txt");
        Path body = Files.createTempFile(dir, "body", ".txt");
        try {
            List<String> all = new ArrayList<>(cmd);
            all.addAll(List.of("-D", headers.toString(), "-o", body.toString(), "-w", "%{http_code}", url));
            Vigil.Result r = exec(stdin, all.toArray(String[]::new));
            int status;
            try {
                status = Integer.parseInt(r.out().strip());
            } catch (NumberFormatException e) {
                status = 0;
            }
            Map<String, String> h = new LinkedHashMap<>();
            for (String line : Files.readAllLines(headers, StandardCharsets.ISO_8859_1)) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    h.putIfAbsent(line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                            line.substring(colon + 1).strip());
                }
            }
            return new Response(status, h, Files.readString(body, StandardCharsets.UTF_8), r.err());
        } finally {
            Files.deleteIfExists(headers);
            Files.deleteIfExists(body);
        }
    }

    /** Runs a program to completion (bounded by {@link #CURL}), with {@code stdin} (null: none). */
    static Vigil.Result exec(String stdin, String... cmd) throws IOException, InterruptedException {
        Path out = Files.createTempFile("exec-out", ".txt");
        Path err = Files.createTempFile("exec-err", ".txt");
        try {
            Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin.getBytes(StandardCharsets.UTF_8));
                }
            }
            if (!p.waitFor(CURL.toSeconds() + 30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", cmd) + " did not finish within " + CURL);
            }
            return new Vigil.Result(p.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    private static void check(Vigil.Result r, String what) {
        if (r.exit() != 0) {
            throw new AssertionError("vigil " + what + " failed (" + r.exit() + "): " + r.all());
        }
    }

    /** Stops the recorder with SIGTERM (forcibly after 60 s). */
    @Override
    public void close() throws IOException, InterruptedException {
        stop(process);
    }

    private static void stop(Process p) throws IOException, InterruptedException {
        if (p.isAlive()) {
            Vigil.sigterm(p);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(30, TimeUnit.SECONDS);
            }
        }
    }
}
