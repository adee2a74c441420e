package org.vigil.config.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.Codec;
import org.vigil.api.camera.Transport;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.config.CameraSubcommand;
import org.vigil.api.config.SettingsService;
import org.vigil.config.internal.ConfigStorage;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import org.vigil.testing.Await;
import org.vigil.testing.Invocation;

/** {@code vigil camera ...} as the CLI runs it, down to a component bound to the camera's configuration. */
class CameraCommandTest {
    private static final String URL = "rtsp://admin:s3cret@192.168.1.20:554/stream1";

    @InjectBundleContext
    BundleContext context;

    @InjectService(filter = "(component.name=org.vigil.config.internal.CameraCommand)", timeout = 10000)
    VigilCommand camera;

    @InjectService(timeout = 10000)
    ConfigurationAdmin admin;

    @InjectService(timeout = 10000)
    SettingsService settings;

    @InjectService(timeout = 10000)
    ConfigStorage storage;

    @AfterEach
    void removeCameras() throws Exception {
        for (CameraConfig c : settings.cameras()) {
            settings.removeCamera(c.id());
        }
    }

    @Test
    void anAddedCameraBecomesAComponentConfigurationAndSetReachesModifiedAndRemoveDeactivates() throws Exception {
        Invocation add = run("add", "front", URL, "--name", "Front door", "--codec", "h265", "--record", "off",
                "--transport", "udp", "--reconnect-min", "2", "--reconnect-max", "20", "--watchdog", "8",
                "--segment", "120", "--sub-url", "rtsp://admin:s3cret@192.168.1.20:554/stream2");
        assertTrue(add.output().startsWith("Added camera front (Front door): rtsp://admin:***@192.168.1.20"),
                add.output());

        Configuration[] configs = admin.listConfigurations("(service.factoryPid=org.vigil.camera)");
        assertNotNull(configs);
        assertEquals(1, configs.length);
        assertEquals("org.vigil.camera~front", configs[0].getPid());
        Dictionary<String, Object> p = configs[0].getProperties();
        assertEquals("front", p.get("id"));
        assertEquals("rtsp://admin@192.168.1.20:554/stream1", p.get("url"), "Configuration Admin holds no password");
        assertNotNull(p.get("urlSecret"), "but a reference to it");
        assertEquals(URL, settings.camera("front").orElseThrow().url(), "the password is stored");
        assertEquals(Boolean.FALSE, p.get("record"));
        assertEquals(120, p.get("segmentSeconds"));

        CameraProbe probe = probe("front");
        CameraConfig c = probe.config();
        assertEquals("Front door", c.name());
        assertEquals(Codec.H265, c.codec());
        assertEquals(Transport.UDP, c.transport());
        assertFalse(c.record());
        assertEquals(Duration.ofSeconds(2), c.reconnectMin());
        assertEquals(Duration.ofSeconds(20), c.reconnectMax());
        assertEquals(Duration.ofSeconds(8), c.watchdog());
        assertEquals(Duration.ofSeconds(120), c.segmentLength());
        assertEquals("rtsp://admin:s3cret@192.168.1.20:554/stream2", c.subUrl().orElseThrow());

        Invocation set = run("set", "front", "record=on", "name=Front gate", "sub-url=");
        assertEquals("Changed camera front: record, name, sub-url.\n", set.output());
        assertTrue(Await.until(Duration.ofSeconds(10), () -> probe.modifications() == 1), "@Modified was called");
        assertSame(probe, probe("front"), "the component was modified, not re-created");
        assertTrue(probe.config().record());
        assertEquals("Front gate", probe.config().name());
        assertTrue(probe.config().subUrl().isEmpty());

        assertEquals("Camera front already has these settings; nothing was written.\n",
                run("set", "front", "record=on").output());

        Invocation remove = run("remove", "front");
        assertEquals("Removed camera front; its recordings are kept.\n", remove.output());
        assertTrue(Await.until(Duration.ofSeconds(10), probe::isDeactivated), "the component was deactivated");
        assertTrue(probes("front").isEmpty());
        assertTrue(admin.listConfigurations("(service.factoryPid=org.vigil.camera)") == null);
    }

    @Test
    void listAndShowNeverPrintAPassword() throws Exception {
        run("add", "front", URL);
        run("add", "yard", "rtsps://viewer:pw@10.0.0.7/live", "--name", "Yard");
        String list = run("list").output();
        assertTrue(list.startsWith("ID     NAME   RECORD  ENABLED  CODEC  URL\n"), list);
        assertTrue(list.contains("front  front  on      on       auto   rtsp://admin:***@192.168.1.20:554/stream1"),
                list);
        assertTrue(list.contains("rtsps://viewer:***@10.0.0.7/live"), list);
        String show = run("show", "front").output();
        assertTrue(show.contains("url            rtsp://admin:***@192.168.1.20:554/stream1"), show);
        assertTrue(show.contains("segment        60 s"), show);
        Invocation json = Invocation.json("list");
        assertEquals(0, camera.execute(json));
        JsonArray a = JsonParser.parseString(json.output()).getAsJsonArray();
        assertEquals(2, a.size());
        JsonObject first = a.get(0).getAsJsonObject();
        assertEquals("rtsp://admin:***@192.168.1.20:554/stream1", first.get("url").getAsString());
        assertEquals(60, first.get("segmentSeconds").getAsInt());
        Invocation showJson = Invocation.json("show", "yard");
        camera.execute(showJson);
        assertEquals("Yard", JsonParser.parseString(showJson.output()).getAsJsonObject().get("name").getAsString());
        for (String out : List.of(list, show, json.output(), showJson.output())) {
            assertFalse(out.contains("s3cret") || out.contains(":pw@"), out);
        }
        assertEquals("No cameras yet; add one with 'vigil camera add <id> <rtsp-url>'.\n", emptyList());
    }

    private String emptyList() throws Exception {
        removeCameras();
        return run("list").output();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
            "add ../../etc rtsp://h/s | Camera id '../../etc' is not allowed: use 1 to 64 characters of a-z, 0-9",
            "add front~door rtsp://h/s | Camera id 'front door' is not allowed",
            "add Front rtsp://h/s | Camera id 'Front' is not allowed",
            "add front http://h/s | The main URL 'http://h/s' must start with rtsp:// or rtsps://",
            "add front rtsp://u:pw@h/s --sub-url ftp://u:pw@h/x | The sub-stream URL 'ftp://u:***@h/x' must start with rtsp://",
            "add front rtsp://h:0/s | The main URL 'rtsp://h:0/s' has port 0, outside 1 to 65535",
            "add front rtsp://u:pw@h:65536/s | The main URL 'rtsp://u:***@h:65536/s' has port 65536, outside 1 to 65535",
            "add front rtsp://h:99999999999/s | The main URL 'rtsp://h:99999999999/s' has a port outside 1 to 65535",
            "add front rtsp://h/s --sub-url rtsp://h:0/t | The sub-stream URL 'rtsp://h:0/t' has port 0",
            "set existing url=rtsp://h:65536/s | has port 65536, outside 1 to 65535",
            "add front rtsp://h/s --reconnect-min -5 | The reconnect delay minimum must be a positive number of seconds",
            "add front rtsp://h/s --reconnect-min 40 | The reconnect delay maximum (30 s) must not be below the minimum (40 s)",
            "add front rtsp://h/s --watchdog soon | The watchdog 'soon' must be a whole number of seconds",
            "add front rtsp://h/s --codec vp9 | The codec 'vp9' of camera 'front' is not known: use auto, h264, h265 or mjpeg",
            "add front rtsp://h/s --transport sctp | The transport 'sctp' of camera 'front' is not known: use tcp or udp",
            "add front rtsp://h/s --record maybe | The recording switch 'maybe' must be on or off",
            "add front rtsp://h/s --colour red | Unknown option --colour for 'vigil camera add'",
            "add front | Missing the camera's rtsp:// URL",
            "set existing colour=red | Unknown camera setting 'colour': the keys are name, url, sub-url, codec",
            "set existing id=other | The id of a camera cannot be changed",
            "set existing reconnect-max=-1 | The reconnect delay maximum must be a positive number of seconds",
            "set existing url=file:///etc/passwd | The main URL 'file:///etc/passwd' must start with rtsp://",
            "set existing record | Write each change as key=value",
            "set nosuch name=x | There is no camera 'nosuch'",
            "remove nosuch | There is no camera 'nosuch'",
            "show ../x | Camera id '../x' is not allowed",
            "frobnicate | Unknown subcommand 'camera frobnicate': use one of list, show, add, set, remove" })
    void badInputIsRefusedWithASentenceAndNothingIsWritten(String line, String expected) throws Exception {
        settings.saveCamera(CameraConfig.of("existing", "Existing", "rtsp://10.0.0.1/s"));
        List<String> words = split(line);
        try (RowWrites writes = new RowWrites(storage.database().orElseThrow())) {
            CommandException e = assertThrows(CommandException.class,
                    () -> camera.execute(Invocation.of(words.toArray(String[]::new))));
            assertTrue(e.getMessage().contains(expected), e.getMessage());
            assertFalse(e.getMessage().contains("pw@"), "no password in messages: " + e.getMessage());
            assertEquals(0, writes.totalChanges(), "nothing was written");
        }
        assertEquals(List.of("existing"), settings.cameras().stream().map(CameraConfig::id).toList());
        assertEquals("rtsp://10.0.0.1/s", settings.camera("existing").orElseThrow().url());
    }

    @Test
    void aNameWithALineBreakOrATerminalEscapeIsRefusedAndNotEchoed() throws Exception {
        settings.saveCamera(CameraConfig.of("existing", "Existing", "rtsp://10.0.0.1/s"));
        List<String[]> lines = List.of(
                new String[] { "add", "front", "rtsp://h/s", "--name", "Front\nCamera 2 deleted" },
                new String[] { "add", "front", "rtsp://h/s", "--name", "\u001b[2J\u001b[31mFront" },
                new String[] { "add", "front", "rtsp://h/s", "--name", "Front\tdoor" },
                new String[] { "add", "front", "rtsp://h/s", "--name", "Front\u202edoor" },
                new String[] { "set", "existing", "name=Yard\r\nx" });
        for (String[] line : lines) {
            try (RowWrites writes = new RowWrites(storage.database().orElseThrow())) {
                CommandException e = assertThrows(CommandException.class, () -> camera.execute(Invocation.of(line)));
                assertEquals("The camera name contains a control character (a line break, tab or terminal escape) or"
                        + " an invisible formatting character; give a name of plain text, such as \"Front door\"."
                        + " Nothing was changed.", e.getMessage());
                assertEquals(0, writes.totalChanges(), "nothing was written");
            }
        }
        assertEquals("Existing", settings.camera("existing").orElseThrow().name());
        assertEquals(List.of("existing"), settings.cameras().stream().map(CameraConfig::id).toList());
        run("add", "front", "rtsp://h/s", "--name", "Entrée côté cour");
        assertEquals("Entrée côté cour", settings.camera("front").orElseThrow().name(), "accents are plain text");
    }

    @Test
    void aSecondCameraWithTheSameIdIsRefused() throws Exception {
        run("add", "front", URL);
        CommandException e = assertThrows(CommandException.class,
                () -> camera.execute(Invocation.of("add", "front", "rtsp://10.0.0.2/s")));
        assertEquals("Camera 'front' already exists; change it with 'vigil camera set front key=value' or remove it"
                + " first.", e.getMessage());
        assertEquals(URL, settings.camera("front").orElseThrow().url());
    }

    @Test
    void anotherBundleCanAddASubcommandShownInTheHelp() throws Exception {
        List<List<String>> calls = new ArrayList<>();
        CameraSubcommand status = new CameraSubcommand() {
            @Override
            public String name() {
                return "status";
            }

            @Override
            public String summary() {
                return "state of every camera's recorder";
            }

            @Override
            public String help() {
                return "vigil camera status [<id>]";
            }

            @Override
            public int execute(CommandInvocation invocation) {
                calls.add(invocation.args());
                invocation.out().println("front: RECORDING");
                return 0;
            }
        };
        assertFalse(camera.help().contains("status"));
        ServiceRegistration<CameraSubcommand> reg = context.registerService(CameraSubcommand.class, status, null);
        try {
            assertTrue(camera.help().contains("vigil camera status ..."), camera.help());
            assertTrue(camera.help().contains("state of every camera's recorder"), camera.help());
            Invocation inv = run("status", "front", "--json");
            assertEquals(List.of(List.of("front", "--json")), calls);
            assertEquals("front: RECORDING\n", inv.output());
            assertTrue(context.getServiceReferences(VigilCommand.class, "(objectClass=" + CameraSubcommand.class
                    .getName() + ")").isEmpty(), "not a top-level command");
        } finally {
            reg.unregister();
        }
        CommandException e = assertThrows(CommandException.class, () -> camera.execute(Invocation.of("status")));
        assertEquals(CommandException.USAGE, e.exitCode());
    }

    @Test
    void theHelpExplainsEverySubcommandAndOption() {
        String help = camera.help();
        for (String s : List.of("vigil camera list", "vigil camera show <id>", "vigil camera add <id> <url>",
                "vigil camera set <id> key=value", "vigil camera remove <id>", "--sub-url", "--codec", "--record",
                "--transport", "--reconnect-min", "--reconnect-max", "--watchdog", "--segment", "rtsp://user:***@")) {
            assertTrue(help.contains(s), s);
        }
        assertEquals("camera", camera.name());
    }

    private Invocation run(String... args) throws Exception {
        Invocation inv = Invocation.of(args);
        assertEquals(0, camera.execute(inv), inv.errors());
        return inv;
    }

    private CameraProbe probe(String id) throws Exception {
        // one snapshot: the component may be between two activations when looked at twice
        java.util.concurrent.atomic.AtomicReference<CameraProbe> found = new java.util.concurrent.atomic.AtomicReference<>();
        assertTrue(Await.until(Duration.ofSeconds(10), () -> {
            List<CameraProbe> now = probes(id);
            if (now.size() == 1) {
                found.set(now.get(0));
                return true;
            }
            return false;
        }), "one component for " + id);
        return found.get();
    }

    private List<CameraProbe> probes(String id) {
        try {
            List<CameraProbe> result = new ArrayList<>();
            for (ServiceReference<CameraProbe> r : context.getServiceReferences(CameraProbe.class, "(id=" + id
                    + ")")) {
                CameraProbe p = context.getService(r);
                if (p != null) {
                    result.add(p);
                    context.ungetService(r);
                }
            }
            return result;
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Splits a test line into words; '~' stands for a space inside a word. */
    private static List<String> split(String line) {
        return java.util.Arrays.stream(line.strip().split(" +")).map(w -> w.replace('~', ' ')).toList();
    }
}
