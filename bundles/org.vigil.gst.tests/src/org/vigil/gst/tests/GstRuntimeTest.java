package org.vigil.gst.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.freedesktop.gstreamer.ElementFactory;
import org.freedesktop.gstreamer.Gst;
import org.freedesktop.gstreamer.Plugin;
import org.freedesktop.gstreamer.Registry;
import org.junit.jupiter.api.Test;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.gst.GstRuntime;
import org.vigil.gst.MissingElementException;
import org.vigil.gst.internal.ElementPackages;
import org.vigil.gst.internal.SharedGstRuntime;

class GstRuntimeTest {

    @InjectService(timeout = 10000)
    GstRuntime runtime;

    @Test
    void gstreamerIsInitialisedOnceAndSaysItsVersion() {
        assertTrue(Gst.isInitialized());
        assertTrue(runtime.version().matches("1\\.\\d+\\.\\d+"), runtime.version());
        int calls = SharedGstRuntime.initCalls();
        assertEquals(1, calls, "the service initialised GStreamer exactly once");
        new SharedGstRuntime(); // a second activation (component restart) must not initialise again
        assertEquals(1, SharedGstRuntime.initCalls());
    }

    @Test
    void everyElementVigilNeedsIsInstalledOnThisMachine() {
        assertEquals(List.of(), runtime.missingElements(), "run releng/scripts/system-packages.sh");
        assertTrue(runtime.firstAvailable("fdkaacenc", "avenc_aac", "voaacenc").isPresent(), "an AAC encoder");
    }

    @Test
    void aMissingElementIsOneSentenceNamingTheDebianPackage() {
        assertEquals("The GStreamer element 'x264enc' is missing; install the Debian package gstreamer1.0-plugins-ugly.",
                ElementPackages.missingSentence(List.of("x264enc")));
        assertEquals("The GStreamer elements 'x265enc' and 'avdec_h265' are missing; install the Debian packages "
                + "gstreamer1.0-plugins-bad and gstreamer1.0-libav.",
                ElementPackages.missingSentence(List.of("x265enc", "avdec_h265")));
        MissingElementException e = assertThrows(MissingElementException.class,
                () -> runtime.requireElements("videotestsrc", "vigil-no-such-element"));
        assertEquals(List.of("vigil-no-such-element"), e.elements());
        assertEquals("The GStreamer element 'vigil-no-such-element' is missing; install the GStreamer plugin that "
                + "provides it.", e.getMessage());
        for (String element : ElementPackages.known()) {
            String s = ElementPackages.missingSentence(List.of(element));
            // package names hold dots (gstreamer1.0-...): apart from them, the only full stop ends the sentence
            String words = s.replace("1.0", "1_0");
            assertTrue(words.endsWith(".") && words.indexOf('.') == words.length() - 1, s);
            assertFalse(s.contains("\n"), s);
        }
    }

    @Test
    void aPipelineNamingAMissingElementSaysWhatToInstall() {
        MissingElementException e = assertThrows(MissingElementException.class,
                () -> runtime.parse("broken", "videotestsrc ! vigil-no-such-element ! fakesink"));
        assertEquals(List.of("vigil-no-such-element"), e.elements());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> runtime.parse("broken", "videotestsrc ! ! ! fakesink"));
        assertTrue(bad.getMessage().startsWith("The pipeline 'broken' cannot be built"), bad.getMessage());
    }

    @Test
    void requireElementsAcceptsWhatIsInstalled() throws Exception {
        runtime.requireElements(List.of("rtspsrc", "rtph264depay", "h264parse", "splitmuxsink", "appsink"));
        assertEquals(Optional.of("gstreamer1.0-plugins-good"), runtime.debianPackage("rtspsrc"));
        assertEquals(Optional.empty(), runtime.debianPackage("fdkaacenc"), "Debian does not package it");
    }

    /** The table is checked against this machine: plugin file of each element, then dpkg -S on it. */
    @Test
    void theElementTableMatchesTheDebianPackagesOfThisMachine() throws Exception {
        assertTrue(Files.isExecutable(Path.of("/usr/bin/dpkg")), "Vigil runs on Debian: dpkg is there");
        Map<String, String> fileOf = new LinkedHashMap<>();
        Registry registry = Registry.get();
        for (String element : ElementPackages.known()) {
            if (!runtime.hasElement(element)) {
                continue;
            }
            ElementFactory f = ElementFactory.find(element);
            Plugin plugin = registry.findPlugin(f.getPluginName());
            fileOf.put(element, plugin.getFilename());
            plugin.dispose();
            f.dispose();
        }
        assertTrue(fileOf.size() > 40, "most elements were found: " + fileOf.keySet());
        Map<String, String> owners = dpkgOwners(fileOf.values());
        List<String> mismatches = new ArrayList<>();
        for (Map.Entry<String, String> e : fileOf.entrySet()) {
            String owner = owners.getOrDefault(usrPath(e.getValue()), "(not found)");
            String expected = runtime.debianPackage(e.getKey()).orElse("(none)");
            if (!expected.equals(owner)) {
                mismatches.add(e.getKey() + ": table says " + expected + ", dpkg says " + owner + " for " + e.getValue());
            }
        }
        assertEquals(List.of(), mismatches);
    }

    /** Debian 12 has a merged /usr: dpkg knows the /usr/lib path while GStreamer may report /lib. */
    private static String usrPath(String file) {
        return file.startsWith("/lib/") ? "/usr" + file : file;
    }

    /** One {@code dpkg -S} for every file: lines such as {@code gstreamer1.0-plugins-good:amd64: /usr/lib/...}. */
    private static Map<String, String> dpkgOwners(Collection<String> files) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("dpkg", "-S"));
        files.stream().map(GstRuntimeTest::usrPath).distinct().forEach(command::add);
        Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        Map<String, String> owners = new LinkedHashMap<>();
        for (String line : out.split("\n")) {
            int sep = line.lastIndexOf(": ");
            if (sep > 0) {
                String owner = line.substring(0, sep);
                int arch = owner.indexOf(':');
                owners.put(line.substring(sep + 2).trim(), arch > 0 ? owner.substring(0, arch) : owner);
            }
        }
        return owners;
    }
}
