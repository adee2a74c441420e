package org.vigil.camera.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Locale;

import org.vigil.api.camera.CameraUrls;

/**
 * Why a camera's stream stopped, in one sentence for a user, and what the recorder does about it.
 *
 * @param kind   what happens next
 * @param reason one sentence: what happened and, where the user can act, what to do
 */
record Failure(Kind kind, String reason) {

    enum Kind {
        /** Likely to pass (camera restarting, network hiccup): reconnect with growing delays, state RECONNECTING. */
        TRANSIENT,
        /** Will not pass by itself (wrong password or path, not a camera): state OFFLINE, retry at the longest delay. */
        PERMANENT,
        /** No codec plugin for the stream: state OFFLINE until a plugin appears. */
        NO_PLUGIN,
        /** The recordings storage refused: state OFFLINE until it can record again. */
        STORAGE,
        /** Stopped on purpose (settings changed, plugin replaced, recorder stopping). */
        STOPPED
    }

    static Failure transientFailure(String reason) {
        return new Failure(Kind.TRANSIENT, reason);
    }

    static Failure permanent(String reason) {
        return new Failure(Kind.PERMANENT, reason);
    }

    static Failure stopped(String reason) {
        return new Failure(Kind.STOPPED, reason);
    }

    static Failure noPlugin(String encodingName) {
        return new Failure(Kind.NO_PLUGIN, "No codec plugin for " + encodingName + " is installed; install or start"
                + " one (such as the bundle org.vigil.codec." + encodingName.toLowerCase(Locale.ROOT)
                + ") and recording resumes by itself.");
    }

    static Failure storage(String reason) {
        return new Failure(Kind.STORAGE, reason);
    }

    static Failure watchdog(Duration watchdog) {
        return transientFailure("No video arrived for " + seconds(watchdog)
                + "; the camera stopped sending (frozen, unplugged or network cut). Reconnecting.");
    }

    static Failure noFirstFrame(String url, Duration timeout) {
        return transientFailure("The camera at " + where(url) + " accepted the connection but sent no video within "
                + seconds(timeout) + ".");
    }

    static Failure noAnswer(String url, Duration timeout) {
        return transientFailure("The camera at " + where(url) + " did not answer within " + seconds(timeout) + ".");
    }

    static Failure endOfStream(String url) {
        return transientFailure("The camera at " + where(url) + " closed the stream (restarted, unplugged or lost "
                + "from the network).");
    }

    static Failure noVideo(String url) {
        return permanent("The stream at " + CameraUrls.mask(url) + " has no video (only audio or data); check that"
                + " the URL names the camera's video stream.");
    }

    static Failure codecMismatch(String configured, String sent) {
        return permanent("The camera sends " + sent + " but its codec is set to " + configured + "; set the codec to"
                + " auto (or " + sent.toLowerCase(Locale.ROOT) + ").");
    }

    /** A GStreamer ERROR message from the camera's pipeline (not from a live-view branch). */
    static Failure fromError(GstNative.ErrorDetails e, String element, String url, Duration connectTimeout) {
        String domain = e.domain();
        String debug = e.debug() == null ? "" : e.debug();
        String message = e.message() == null ? "" : e.message();
        boolean fromSink = element != null && element.startsWith("seg-");
        if (domain.startsWith("gst-resource-error")) {
            switch (e.code()) {
                case 15: // GST_RESOURCE_ERROR_NOT_AUTHORIZED
                    return permanent("The camera at " + where(url) + " refused the user name or password (401 "
                            + "Unauthorized); put the right credentials in the camera's URL "
                            + "(rtsp://user:password@host/...).");
                case 3: // GST_RESOURCE_ERROR_NOT_FOUND
                    if (debug.contains("(404)") || !fromSink) {
                        return permanent("The camera at " + where(url) + " has no stream at this path (404 Not "
                                + "Found); check the path in the camera's URL.");
                    }
                    break;
                case 7: // GST_RESOURCE_ERROR_OPEN_READ_WRITE: connecting failed
                    return transientFailure("Nothing accepts connections at " + where(url) + " (the camera is off,"
                            + " unplugged or the address or port is wrong).");
                case 9: // GST_RESOURCE_ERROR_READ
                    if (debug.contains("Parse error")) {
                        return permanent("The device at " + where(url) + " does not answer like an RTSP camera;"
                                + " check the host and port in the camera's URL.");
                    }
                    if (debug.contains("Timeout")) {
                        return noAnswer(url, connectTimeout);
                    }
                    return transientFailure("The connection to the camera at " + where(url) + " broke: "
                            + sentence(message));
                case 14: // GST_RESOURCE_ERROR_NO_SPACE_LEFT
                    return storage("The recordings disk is full; recording resumes when space is freed.");
                case 6: // GST_RESOURCE_ERROR_OPEN_WRITE
                case 10: // GST_RESOURCE_ERROR_WRITE
                    if (fromSink) {
                        return cannotWrite(message, debug);
                    }
                    break;
                default:
                    break;
            }
            if (debug.contains("(503)")) {
                return transientFailure("The camera at " + where(url) + " is busy (503 Service Unavailable); it may"
                        + " allow fewer clients at once.");
            }
        }
        if (message.contains("No supported stream")) {
            return permanent("The camera at " + where(url) + " offers no stream Vigil can record; check that the URL"
                    + " names the camera's video stream.");
        }
        if (fromSink) {
            return transientFailure("The camera's stream could not be written to a file: " + sentence(message));
        }
        return transientFailure("The camera's stream failed: " + sentence(message));
    }

    /**
     * A segment file could not be opened or written (folder unwritable, read-only or immutable, disk gone): one
     * sentence naming the folder and the system's reason. The recorder retries at its longest reconnect delay.
     */
    static Failure cannotWrite(String message, String debug) {
        String m = message == null ? "" : message;
        String d = debug == null ? "" : debug;
        int q1 = m.indexOf('"');
        int q2 = q1 < 0 ? -1 : m.indexOf('"', q1 + 1);
        String where = "The recordings folder";
        if (q2 > q1 + 1) {
            String file = m.substring(q1 + 1, q2);
            int slash = file.lastIndexOf('/');
            where = "The recordings folder " + (slash > 0 ? file.substring(0, slash) : file);
        }
        String cause = "";
        int sys = d.indexOf("system error: ");
        if (sys >= 0) {
            cause = d.substring(sys + "system error: ".length()).strip();
            int end = cause.indexOf('\n');
            cause = end >= 0 ? cause.substring(0, end).strip() : cause;
            cause = cause.isEmpty() ? "" : " (" + cause + ")";
        }
        return storage(where + " cannot be written" + cause + "; make it writable (permissions, a read-only or "
                + "full disk, an immutable attribute) and recording resumes by itself.");
    }

    /** {@code host:port} of an RTSP URL, without credentials. */
    static String where(String url) {
        try {
            URI u = URI.create(url);
            int port = u.getPort() > 0 ? u.getPort() : 554;
            return u.getHost() + ":" + port;
        } catch (IllegalArgumentException e) {
            return CameraUrls.mask(url);
        }
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private static String sentence(String s) {
        String t = s == null || s.isBlank() ? "unknown error" : s.strip();
        return t.endsWith(".") ? t : t + ".";
    }
}
