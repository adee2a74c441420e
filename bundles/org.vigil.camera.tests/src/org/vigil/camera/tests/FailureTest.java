package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.vigil.camera.internal.TestAccess;

/** What the recorder tells a user about GStreamer's errors, and what it does next (unit level). */
class FailureTest {
    static final String RESOURCE = "gst-resource-error-quark";
    static final String URL = "rtsp://admin:hunter2@192.168.1.20:554/stream1";

    @Test
    void rtspErrorsBecomeOneSentenceAndADecision() {
        Object[][] cases = {
                { 15, "Unauthorized", "... Unauthorized (401)", "src", "PERMANENT", "401 Unauthorized" },
                { 3, "Not found", "... Not Found (404)", "src", "PERMANENT", "404 Not Found" },
                { 7, "Could not open resource for reading and writing.", "Failed to connect. (Generic error)", "src",
                        "TRANSIENT", "Nothing accepts connections at 192.168.1.20:554" },
                { 9, "Could not read from resource.", "Could not receive message. (Parse error)", "src", "PERMANENT",
                        "does not answer like an RTSP camera" },
                { 9, "Could not read from resource.", "Could not receive message. (Timeout while waiting for server "
                        + "response)", "src", "TRANSIENT", "did not answer within 10 s" },
                { 14, "No space left on the resource.", "", "seg-2-sink", "STORAGE", "disk is full" },
                { 10, "Could not write to resource.", "", "seg-2-sink", "STORAGE",
                        "The recordings folder cannot be written" },
                { 6, "Could not open file \"/rec/front/20261207/191621.mp4\" for writing.", "gstfilesink.c(458): "
                        + "gst_file_sink_open_file (): /GstPipeline:p/GstBin:seg-2/GstFileSink:seg-2-sink:\nsystem error: "
                        + "Operation not permitted", "seg-2-sink", "STORAGE",
                        "The recordings folder /rec/front/20261207 cannot be written (Operation not permitted)" } };
        for (Object[] c : cases) {
            String reason = TestAccess.failureReason(RESOURCE, (Integer) c[0], (String) c[1], (String) c[2],
                    (String) c[3], URL);
            String kind = TestAccess.failureKind(RESOURCE, (Integer) c[0], (String) c[1], (String) c[2],
                    (String) c[3], URL);
            assertEquals(c[4], kind, reason);
            assertTrue(reason.contains((String) c[5]), reason);
            assertFalse(reason.contains("hunter2"), "no password in " + reason);
            assertTrue(reason.endsWith(".") || reason.endsWith(")"), reason);
        }
    }

    @Test
    void aMuxerErrorReconnectsInsteadOfWaitingForTheDisk() {
        assertEquals("TRANSIENT", TestAccess.failureKind("gst-stream-error-quark", 11, "Could not multiplex stream.",
                "Decreasing DTS.", "seg-0-mux", URL));
    }

    @Test
    void theCameraIdComesFromTheSettingsOrElseFromTheConfigurationPid() {
        assertEquals("front", TestAccess.idOf(Map.of("id", "front", "service.pid", "org.vigil.camera~back")));
        assertEquals("back", TestAccess.idOf(Map.of("service.pid", "org.vigil.camera~back")));
    }

    @Test
    void aacIsRecognisedInBothRtpForms() {
        assertTrue(TestAccess.isAac("MPEG4-GENERIC", "AAC-hbr"));
        assertTrue(TestAccess.isAac("MP4A-LATM", null));
        assertFalse(TestAccess.isAac("MPEG4-GENERIC", "CELP-cbr"));
        assertFalse(TestAccess.isAac("PCMA", null));
    }

    @Test
    void thePipelinesAreWhatTheNotesAskFor() {
        String rec = TestAccess.pipelineDescription("rtsp://x/y", true, false);
        assertTrue(rec.contains("protocols=tcp") && rec.contains("tee name=vtee") && rec.contains("queue name=recq"),
                rec);
        assertFalse(rec.contains("splitmuxsink"), "segments are cut by the recorder's own probe: " + rec);
        String stream = TestAccess.pipelineDescription("rtsp://x/y", false, true);
        assertTrue(stream.contains("protocols=udp") && !stream.contains("recq"), stream);
        String live = TestAccess.liveBranchDescription("avdec_h264", 640, 360);
        assertTrue(live.contains("leaky=downstream") && live.contains("format=BGRx,width=640,height=360")
                && live.contains("max-buffers=1 drop=true") && live.contains("max-errors=-1"), live);
    }
}
