package org.vigil.core.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.job.JobState;

/** The one {@code --json} writer of every command: each kind of value, field order, escapes. */
class JsonOutputTest {
    @Test
    void eachKindOfValue() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "front door");
        m.put("whole", 42L);
        m.put("int", 7);
        m.put("double", 2.5);
        m.put("nan", Double.NaN);
        m.put("yes", true);
        m.put("nothing", null);
        m.put("absent", Optional.empty());
        m.put("present", Optional.of("x"));
        m.put("time", Instant.parse("2026-11-26T09:00:00Z"));
        m.put("took_ms", Duration.ofMillis(1500));
        m.put("file", Path.of("/var/lib/vigil/front/20261126/090000.mp4"));
        m.put("state", JobState.CANCELLED);
        m.put("list", List.of(1, 2));
        m.put("array", new String[] { "a" });
        m.put("empty_list", List.of());
        m.put("empty_map", Map.of());
        assertEquals("""
                {
                  "text": "front door",
                  "whole": 42,
                  "int": 7,
                  "double": 2.5,
                  "nan": null,
                  "yes": true,
                  "nothing": null,
                  "absent": null,
                  "present": "x",
                  "time": "2026-11-26T09:00:00Z",
                  "took_ms": 1500,
                  "file": "/var/lib/vigil/front/20261126/090000.mp4",
                  "state": "cancelled",
                  "list": [
                    1,
                    2
                  ],
                  "array": [
                    "a"
                  ],
                  "empty_list": [],
                  "empty_map": {}
                }""", JsonOutput.write(m));
        assertEquals("null", JsonOutput.write(null));
        assertEquals("\"plain\"", JsonOutput.write("plain"));
        assertEquals("[\n  \"only\"\n]", JsonOutput.write(Set.of("only")));
    }

    @Test
    void fieldOrderIsStable() {
        Map<String, Object> unordered = new HashMap<>();
        for (String k : Arrays.asList("zulu", "alpha", "mike", "bravo")) {
            unordered.put(k, 1);
        }
        String expected = "{\n  \"alpha\": 1,\n  \"bravo\": 1,\n  \"mike\": 1,\n  \"zulu\": 1\n}";
        assertEquals(expected, JsonOutput.write(unordered), "a map without an order of its own is sorted");
        assertEquals(expected, JsonOutput.write(Map.of("mike", 1, "zulu", 1, "bravo", 1, "alpha", 1)));
        assertEquals(expected, JsonOutput.write(new TreeMap<>(unordered)));
        Map<String, Object> inserted = new LinkedHashMap<>();
        inserted.put("zulu", 1);
        inserted.put("alpha", 1);
        assertEquals("{\n  \"zulu\": 1,\n  \"alpha\": 1\n}", JsonOutput.write(inserted), "insertion order is kept");
    }

    @Test
    void stringsAreEscapedButUrlsStayReadable() {
        assertEquals("\"rtsp://cam/stream?a=1&b=<2>\"", JsonOutput.write("rtsp://cam/stream?a=1&b=<2>"));
        assertEquals("\"say \\\"hi\\\" \\\\ now\\n\\ttab\\r\\b\\f\\u0001\\u2028\"",
                JsonOutput.write("say \"hi\" \\ now\n\ttab\r\b\f\u0001\u2028"));
        assertEquals("\"Zürich °C\"", JsonOutput.write("Zürich °C"));
    }

    @Test
    void measuredFiguresAreRoundedWhenAsked() {
        assertEquals(24.97, JsonOutput.round(24.966_666, 2));
        assertEquals(25.0, JsonOutput.round(24.999, 2));
        assertEquals(null, JsonOutput.round(Double.POSITIVE_INFINITY, 2));
        assertEquals("{\n  \"fps\": 24.97\n}", JsonOutput.write(Map.of("fps", JsonOutput.round(24.966_666, 2))));
    }
}
