package org.vigil.distribution.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The distribution's GStreamer side as a user meets it: the demo camera, and a machine without the plugins. */
class GStreamerTest {

    @TempDir
    Path temp;

    @Test
    void theDemoCameraServesAStreamThatASeparateGStreamerPipelineReads() throws Exception {
        Path out = temp.resolve("democam.out");
        Process democam = Vigil.start(out, "democam");
        try {
            Pattern url = Pattern.compile("h264\\s+(rtsp://127\\.0\\.0\\.1:\\d+/h264)\\s");
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> url.matcher(Vigil.read(out)).find()),
                    "no H.264 URL printed: " + Vigil.read(out));
            Matcher m = url.matcher(Vigil.read(out));
            assertTrue(m.find());
            // a separate client, as a camera viewer would connect: 25 parsed H.264 frames must arrive
            Process client = new ProcessBuilder("gst-launch-1.0", "-q", "rtspsrc", "location=" + m.group(1),
                    "protocols=tcp", "!", "rtph264depay", "!", "h264parse", "!", "video/x-h264", "!", "fakesink",
                    "num-buffers=25").redirectErrorStream(true).redirectOutput(temp.resolve("client.out").toFile()).start();
            assertTrue(client.waitFor(60, TimeUnit.SECONDS), "the client got no frames within 60 s");
            assertEquals(0, client.exitValue(), Vigil.read(temp.resolve("client.out")));
        } finally {
            Vigil.sigterm(democam);
            assertTrue(democam.waitFor(30, TimeUnit.SECONDS), "vigil democam did not stop on SIGTERM");
        }
        assertEquals(0, democam.exitValue(), Vigil.read(out));
    }

    @Test
    void runWithDemoConfiguresTheDemoCameraWhenNoCameraIsConfigured() throws Exception {
        Path data = temp.resolve("data");
        Path out = temp.resolve("run.out");
        Process vigil = Vigil.start(out, "run", "--headless", "--demo", "--data", data.toString());
        try {
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(60), () -> Vigil.read(out).contains(" is ready in ")),
                    Vigil.read(out));
            assertTrue(Vigil.waitUntil(Duration.ofSeconds(30), () -> {
                try {
                    Vigil.Result r = Vigil.run("--json", "camera", "list", "--data", data.toString());
                    return r.exit() == 0 && r.out().contains("\"demo\"") && r.out().contains("rtsp://127.0.0.1:");
                } catch (Exception e) {
                    return false;
                }
            }), "the demo camera was not configured: " + Vigil.read(out));
        } finally {
            Vigil.sigterm(vigil);
            assertTrue(vigil.waitFor(60, TimeUnit.SECONDS));
        }
        assertEquals(0, vigil.exitValue(), Vigil.read(out));
    }

    @Test
    void withoutTheGStreamerPluginsTheRecorderRefusesWithOneSentenceNamingThePackage() throws Exception {
        Path noPlugins = Files.createDirectory(temp.resolve("no-plugins"));
        Map<String, String> env = Map.of("GST_PLUGIN_SYSTEM_PATH_1_0", noPlugins.toString(), "GST_PLUGIN_PATH_1_0", "",
                "GST_PLUGIN_PATH", "", "GST_REGISTRY_1_0", temp.resolve("registry.bin").toString());
        Vigil.Result r = Vigil.run(Duration.ofSeconds(90), null, env, "run", "--headless", "--data",
                temp.resolve("data").toString());
        assertEquals(1, r.exit(), r.all());
        String err = r.err().strip();
        assertTrue(err.contains("install the Debian package"), err);
        assertFalse(err.contains("\tat "), "no stack trace: " + err);
        assertTrue(Vigil.read(temp.resolve("data/logs/vigil-0.log")).contains(" missing; install the Debian package"),
                "the log says it too");
    }
}
