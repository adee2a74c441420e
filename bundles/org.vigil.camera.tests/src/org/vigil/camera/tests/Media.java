package org.vigil.camera.tests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/** What ffprobe and ffmpeg say about a recorded file. */
final class Media {
    private static final Pattern DECODE_ERROR = Pattern.compile(
            "(?i)(error while decoding|corrupt|concealing|invalid nal|missing picture|decode_slice_header error"
                    + "|no frame!|moov atom not found|invalid data)");

    /**
     * @param videoCodec  ffprobe's codec name of the first video stream ({@code h264}, {@code hevc}, {@code mjpeg})
     * @param audioCodec  of the first audio stream, or empty
     * @param frames      video frames decoded by ffprobe
     * @param packets     video frames stored in the file (what the recorder counts and announces)
     * @param duration    the file's duration in seconds (-1 when unknown)
     * @param firstIsKey  whether the first video packet is a keyframe
     * @param decodeErrors lines of ffmpeg's decode that report damage
     */
    record Probe(String videoCodec, String audioCodec, int width, int height, int frames, int packets,
            double duration, boolean firstIsKey, List<String> decodeErrors) {
        boolean playable() {
            return !videoCodec.isEmpty() && frames > 0 && decodeErrors.isEmpty();
        }
    }

    private Media() {
    }

    static Probe probe(Path file) throws IOException, InterruptedException {
        Map<String, String> f = flat(run(List.of("ffprobe", "-v", "error", "-count_frames", "-show_entries",
                "stream=codec_type,codec_name,width,height,nb_read_frames,nb_read_packets:format=duration",
                "-count_packets", "-of", "flat",
                file.toString())));
        String video = "";
        String audio = "";
        int width = 0;
        int height = 0;
        int frames = 0;
        int packets = 0;
        for (int i = 0; i < 8; i++) {
            String type = f.getOrDefault("streams.stream." + i + ".codec_type", "");
            if (type.equals("video") && video.isEmpty()) {
                video = f.getOrDefault("streams.stream." + i + ".codec_name", "");
                width = parseInt(f.get("streams.stream." + i + ".width"));
                height = parseInt(f.get("streams.stream." + i + ".height"));
                frames = parseInt(f.get("streams.stream." + i + ".nb_read_frames"));
                packets = parseInt(f.get("streams.stream." + i + ".nb_read_packets"));
            } else if (type.equals("audio") && audio.isEmpty()) {
                audio = f.getOrDefault("streams.stream." + i + ".codec_name", "");
            }
        }
        double duration = -1;
        try {
            duration = Double.parseDouble(f.getOrDefault("format.duration", "-1"));
        } catch (NumberFormatException e) {
            duration = -1;
        }
        String first = run(List.of("ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                "packet=flags", "-of", "csv=p=0", "-read_intervals", "%+#1", file.toString())).strip();
        List<String> errors = new ArrayList<>();
        String decode = runErr(List.of("ffmpeg", "-nostdin", "-v", "error", "-i", file.toString(), "-map", "0:v:0",
                "-f", "null", "-"));
        for (String line : decode.split("\n")) {
            if (DECODE_ERROR.matcher(line).find()) {
                errors.add(line);
            }
        }
        return new Probe(video, audio, width, height, frames, packets, duration, first.startsWith("K"), errors);
    }

    private static int parseInt(String s) {
        try {
            return s == null ? 0 : Integer.parseInt(s.replace("\"", "").strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Map<String, String> flat(String out) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                m.put(line.substring(0, eq).strip(), line.substring(eq + 1).strip().replace("\"", ""));
            }
        }
        return m;
    }

    static String run(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(false).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.getErrorStream().readAllBytes();
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new IOException(command.get(0) + " did not finish within 60 s");
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }

    private static String runErr(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                throw new IOException(command.get(0) + " did not finish within 60 s");
            }
            return out;
        } finally {
            p.destroyForcibly();
        }
    }
}
