package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 14, item 2: the recorder's health, alerts and metrics over HTTPS with curl: {@code /api/health} says what
 * {@code vigil status --json} says, {@code /metrics} is the Prometheus text format (every line a sample or a comment)
 * behind the same users, and a camera that cannot be reached raises an alert that {@code /api/alerts} lists.
 */
class ApiHealthTest {
    static final String ADMIN = ApiCamerasTest.ADMIN;
    static final String VIEWER = "vera";

    /** {@code name{labels} value [timestamp]}, as the Prometheus text format 0.0.4 writes a sample. */
    static final Pattern SAMPLE = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]*(\\{([a-zA-Z_][a-zA-Z0-9_]*=\"([^\"\\\\\\n]"
            + "|\\\\[\\\\\"n])*\",?)*\\})? (-?[0-9.eE+-]+|NaN|\\+Inf|-Inf)( -?[0-9]+)?");
    static final Pattern COMMENT = Pattern.compile("# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]*"
            + " (counter|gauge|histogram|summary|untyped))");

    static ApiCamerasTest.Recorder recorder;

    @BeforeAll
    static void start() throws Exception {
        recorder = ApiCamerasTest.Recorder.start("api-health", false);
        recorder.user(VIEWER, "viewer");
    }

    @AfterAll
    static void stop() throws Exception {
        if (recorder != null) {
            recorder.close();
        }
    }

    @Test
    void healthSaysWhatVigilStatusSays() throws Exception {
        ApiCamerasTest.Curl h = recorder.curl(VIEWER, "GET", "/api/health", null);
        assertEquals(200, h.status(), h.body());
        Vigil.Result status = recorder.vigil("--json", "status");
        for (String field : List.of("\"running\": true", "\"pid\": " + recorder.process.pid(), "\"version\": ",
                "\"mode\": \"recorder\"", "\"alerting\": ", "\"cameras\": ", "\"disk\": ", "\"alerts\": ")) {
            assertTrue(h.body().contains(field), field + " in " + h.body());
            assertTrue(status.out().contains(field), field + " in vigil status: " + status.out());
        }
        assertEquals(401, recorder.curl(null, "GET", "/api/health", null).status());
    }

    @Test
    void metricsAreThePrometheusTextFormatBehindTheUsers() throws Exception {
        String text = recorder.await("metrics", Duration.ofSeconds(60), () -> {
            ApiCamerasTest.Curl m = recorder.curl(VIEWER, "GET", "/metrics", null);
            return m.status() == 200 ? m.body() : null;
        });
        List<String> lines = text.lines().toList();
        assertTrue(lines.size() > 10, text);
        for (String line : lines) {
            assertTrue(SAMPLE.matcher(line).matches() || COMMENT.matcher(line).matches(),
                    "not the Prometheus text format: '" + line + "'");
        }
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("vigil_")), text);
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("# TYPE vigil_")), text);
        assertEquals(401, recorder.curl(null, "GET", "/metrics", null).status(), "Prometheus logs in like anyone");
        String type = recorder.contentType(VIEWER, "/metrics");
        assertTrue(type.startsWith("text/plain; version=0.0.4"), type);
    }

    @Test
    void aCameraThatCannotBeReachedRaisesAnAlertListedAtApiAlerts() throws Exception {
        try (java.net.ServerSocket held = new java.net.ServerSocket()) {
            // a bound port that does not listen: the camera there is offline for as long as the test holds it
            held.bind(new java.net.InetSocketAddress("127.0.0.1", 0));
            ApiCamerasTest.Curl added = recorder.curl(ADMIN, "POST", "/api/cameras", "{\"id\": \"gone\", \"url\":"
                    + " \"rtsp://127.0.0.1:" + held.getLocalPort() + "/x\"}");
            assertEquals(201, added.status(), added.body());
            // the monitor raises the alert after cameraOfflineSeconds (30 s by default)
            String alerts = recorder.await("an offline alert for camera 'gone'", Duration.ofSeconds(180), () -> {
                ApiCamerasTest.Curl a = recorder.curl(VIEWER, "GET", "/api/alerts", null);
                String active = a.body().contains("\"recent\"") ? a.body().substring(0, a.body().indexOf("\"recent\""))
                        : "";
                return a.status() == 200 && active.contains("\"kind\": \"camera_offline\"")
                        && active.contains("\"subject\": \"gone\"") ? a.body() : null;
            });
            assertTrue(alerts.contains("\"type\": \"raised\""), alerts);
            ApiCamerasTest.Curl h = recorder.curl(VIEWER, "GET", "/api/health", null);
            assertTrue(h.body().contains("\"alerting\": true"), h.body());
            assertEquals(204, recorder.curl(ADMIN, "DELETE", "/api/cameras/gone", null).status());
        }
        assertFalse(recorder.curl(VIEWER, "GET", "/api/cameras", null).body().contains("\"gone\""));
    }
}
