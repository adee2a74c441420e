package org.vigil.web.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.google.gson.Gson;
import com.google.gson.JsonElement;
import com.google.gson.JsonParseException;
import com.google.gson.JsonParser;
import com.google.gson.Strictness;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.vigil.api.command.JsonOutput;

/**
 * One request to an endpoint and its answer, with the checks every endpoint needs: the caller, the path's parts
 * after the servlet's pattern (decoded, each checked), typed query parameters that refuse bad values with a
 * sentence, a JSON body read with a size limit, and JSON answers written the way {@code --json} output is.
 */
public final class ApiRequest {
    private static final Gson GSON = new Gson();

    private final HttpServletRequest req;
    private final HttpServletResponse resp;
    private boolean withoutBody;

    ApiRequest(HttpServletRequest req, HttpServletResponse resp) {
        this.req = req;
        this.resp = resp;
    }

    public HttpServletRequest request() {
        return req;
    }

    public HttpServletResponse response() {
        return resp;
    }

    public Caller caller() {
        return Caller.of(req);
    }

    /** The request's path inside the recorder ({@code /api/cameras/front}), for messages. */
    public String path() {
        String s = req.getServletPath() == null ? "" : req.getServletPath();
        String p = req.getPathInfo() == null ? "" : req.getPathInfo();
        return s + p;
    }

    /**
     * The decoded parts of the path after the servlet's pattern: {@code /api/cameras/*} given
     * {@code /api/cameras/front/status} is {@code [front, status]}. Refuses empty parts, {@code .} and {@code ..},
     * control characters and parts longer than 200 characters.
     */
    public List<String> parts() {
        String info = req.getPathInfo();
        List<String> parts = new ArrayList<>();
        if (info == null || info.equals("/")) {
            return parts;
        }
        String[] raw = info.substring(1).split("/", -1);
        for (String p : raw) {
            if (p.isEmpty() || p.equals(".") || p.equals("..") || p.length() > 200
                    || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f || c == '\\')) {
                throw ApiException.badRequest("The path " + shown(path()) + " is not valid: write it without empty"
                        + " parts, '.', '..', backslashes or control characters.");
            }
            parts.add(p);
        }
        return parts;
    }

    /** A query parameter, if given and not blank. */
    public Optional<String> param(String name) {
        String v = req.getParameter(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.strip());
    }

    /** A required query parameter. */
    public String requiredParam(String name) {
        return param(name).orElseThrow(() -> ApiException.badRequest("Give the query parameter '" + name + "'."));
    }

    /** A whole-number parameter within bounds, or {@code dflt} when absent. */
    public long longParam(String name, long dflt, long min, long max) {
        Optional<String> v = param(name);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.get());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // refused below
        }
        throw ApiException.badRequest("The parameter '" + name + "' must be a whole number from " + min + " to " + max
                + "; got '" + shown(v.get()) + "'.");
    }

    /**
     * A time parameter: an ISO-8601 instant ({@code 2026-12-07T09:00:00Z}) or milliseconds since 1970. Refuses a
     * time before 2000 or more than a day in the future.
     */
    public Optional<Instant> instantParam(String name) {
        Optional<String> v = param(name);
        if (v.isEmpty()) {
            return Optional.empty();
        }
        Instant t;
        try {
            t = v.get().chars().allMatch(Character::isDigit) ? Instant.ofEpochMilli(Long.parseLong(v.get()))
                    : Instant.parse(v.get());
        } catch (NumberFormatException | java.time.DateTimeException e) {
            throw ApiException.badRequest("The parameter '" + name + "' must be a time such as 2026-12-07T09:00:00Z"
                    + " or milliseconds since 1970; got '" + shown(v.get()) + "'.");
        }
        if (t.isBefore(Instant.parse("2000-01-01T00:00:00Z"))
                || t.isAfter(Instant.now().plus(java.time.Duration.ofDays(1)))) {
            throw ApiException.badRequest("The time '" + name + "' = " + t + " is out of range: give a time between"
                    + " 2000 and tomorrow.");
        }
        return Optional.of(t);
    }

    /** The body as JSON, at most {@code maxBytes}; a malformed or oversized body is refused with a sentence. */
    public JsonElement body(int maxBytes) throws IOException {
        String type = req.getContentType();
        if (type != null && !type.toLowerCase(java.util.Locale.ROOT).startsWith("application/json")) {
            throw new ApiException(415, "Send the body as application/json; got " + shown(type) + ".");
        }
        long declared = req.getContentLengthLong();
        if (declared > maxBytes) {
            throw new ApiException(413, "The body is " + declared + " bytes; at most " + maxBytes + " are accepted.");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = req.getInputStream()) {
            byte[] buf = new byte[8192];
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBytes) {
                    throw new ApiException(413, "The body is larger than " + maxBytes + " bytes, the most accepted.");
                }
                out.write(buf, 0, n);
            }
        }
        String text = out.toString(StandardCharsets.UTF_8);
        if (text.isBlank()) {
            throw ApiException.badRequest("The request needs a JSON body.");
        }
        try {
            com.google.gson.stream.JsonReader reader = new com.google.gson.stream.JsonReader(new java.io.StringReader(text));
            reader.setStrictness(Strictness.STRICT);
            JsonElement e = JsonParser.parseReader(reader);
            if (reader.peek() != com.google.gson.stream.JsonToken.END_DOCUMENT) {
                throw new JsonParseException("trailing text");
            }
            return e;
        } catch (JsonParseException | IllegalStateException | IOException e) {
            throw ApiException.badRequest("The body is not valid JSON: " + shown(firstLine(e.getMessage())) + ".");
        }
    }

    /** The body as JSON, at most {@link WebApi#MAX_BODY_BYTES}, mapped onto {@code type} by Gson. */
    public <T> T body(Class<T> type) throws IOException {
        JsonElement e = body(WebApi.MAX_BODY_BYTES);
        try {
            T t = GSON.fromJson(e, type);
            if (t == null) {
                throw ApiException.badRequest("The request needs a JSON body.");
            }
            return t;
        } catch (JsonParseException | IllegalStateException | NumberFormatException ex) {
            throw ApiException.badRequest("The body does not have the expected fields: "
                    + shown(firstLine(ex.getMessage())) + ".");
        }
    }

    /** Answers {@code status} with {@code value} as JSON (maps, lists, instants as {@code --json} writes them). */
    public void json(int status, Object value) throws IOException {
        byte[] body = (JsonOutput.write(value) + "\n").getBytes(StandardCharsets.UTF_8);
        resp.setStatus(status);
        resp.setContentType("application/json;charset=utf-8");
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(body.length);
        if (!withoutBody) {
            try (OutputStream out = resp.getOutputStream()) {
                out.write(body);
            }
        }
    }

    /** Answers 204 with no body. */
    public void noContent() {
        resp.setStatus(204);
    }

    /** Answers {@code status} with {@code {"error": sentence, "status": status}}. */
    public void error(int status, String sentence) throws IOException {
        if (resp.isCommitted()) {
            return;
        }
        resp.resetBuffer();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", sentence);
        m.put("status", status);
        json(status, m);
    }

    /** True when this answer has no body (HEAD). */
    public boolean bodyless() {
        return withoutBody;
    }

    void withoutBody() {
        withoutBody = true;
    }

    boolean committed() {
        return resp.isCommitted();
    }

    /** {@code text} shortened and with control characters escaped, for quoting a client's input in a message. */
    public static String shown(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < text.length() && b.length() < 80; i++) {
            char c = text.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return text.length() > 80 ? b + "..." : b.toString();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
