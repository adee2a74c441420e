package org.vigil.camera.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraState;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.config.CameraSubcommand;
import org.vigil.api.config.SettingsException;
import org.vigil.api.config.SettingsService;
import org.vigil.testing.Await;

/**
 * {@code vigil camera status [id] [--json]} and {@code vigil record on|off <id>}, run as the command line runs them;
 * the settings go through Configuration Admin to the running camera.
 */
class CommandsTest {
    @InjectBundleContext
    static BundleContext context;

    static Harness h;
    static ServiceRegistration<SettingsService> settings;

    @BeforeAll
    static void start() throws Exception {
        Only.check(context, CommandsTest.class);
        h = new Harness(context, "commands");
        Hashtable<String, Object> p = new Hashtable<>();
        p.put(Constants.SERVICE_RANKING, 1000);
        settings = context.registerService(SettingsService.class, new AdminSettings(h.admin), p);
    }

    @AfterAll
    static void stop() throws Exception {
        if (settings != null) {
            settings.unregister();
        }
        if (h != null) {
            h.close();
        }
    }

    @Test
    void statusShowsEachCameraAsTextAndJson() throws Exception {
        h.add("cmd-a", DemoCam.url(context, "url.h264"));
        h.awaitState("cmd-a", CameraState.RECORDING, Duration.ofSeconds(20));
        assertTrue(Await.until(Duration.ofSeconds(5), () -> h.cameras.statistics("cmd-a").map(s -> s.fps() > 5)
                .orElse(false)), "frames per second are measured");
        VigilCommand status = subcommand("status");
        Result text = run(status, false, "cmd-a");
        assertEquals(0, text.code());
        assertTrue(text.out().contains("CAMERA") && text.out().contains("cmd-a") && text.out().contains("RECORDING"),
                text.out());
        Result json = run(status, true, "cmd-a");
        assertTrue(json.out().contains("\"id\": \"cmd-a\"") && json.out().contains("\"state\": \"RECORDING\"")
                && json.out().contains("\"fps\""), json.out());
        Result all = run(status, true);
        assertTrue(all.out().strip().startsWith("[") && all.out().contains("cmd-a"), all.out());
        CommandException e = assertThrows(CommandException.class, () -> run(status, false, "no-such-camera"));
        assertTrue(e.getMessage().contains("No camera 'no-such-camera'"), e.getMessage());
        Result live = run(subcommand("live"), false, "cmd-a", "--size", "160x90", "--seconds", "2");
        assertEquals(0, live.code(), live.out());
        assertTrue(live.out().startsWith("Camera cmd-a: ") && live.out().contains("pictures of 160x90 from its live"
                + " view stream"), live.out());
        Result main = run(subcommand("live"), true, "cmd-a", "--size", "160x90", "--seconds", "2", "--main");
        assertEquals(0, main.code(), main.out());
        assertTrue(main.out().contains("\"stream\": \"main\"") && !main.out().contains("\"frames\": 0,"),
                main.out());
        h.remove("cmd-a");
    }

    @Test
    void recordOffAndOnChangeTheSettingAndTheRunningCamera() throws Exception {
        h.add("cmd-r", DemoCam.url(context, "url.h264"));
        h.awaitState("cmd-r", CameraState.RECORDING, Duration.ofSeconds(20));
        VigilCommand record = command("record");
        Result off = run(record, false, "off", "cmd-r");
        assertEquals("Recording of camera cmd-r is now off.", off.out().strip());
        h.awaitState("cmd-r", CameraState.STREAMING, Duration.ofSeconds(20));
        assertEquals("Recording of camera cmd-r was already off.", run(record, false, "off", "cmd-r").out().strip());
        Result on = run(record, true, "on", "cmd-r");
        assertTrue(on.out().contains("\"record\": true") && on.out().contains("\"changed\": true"), on.out());
        h.awaitState("cmd-r", CameraState.RECORDING, Duration.ofSeconds(20));
        assertEquals(CommandException.USAGE, assertThrows(CommandException.class,
                () -> run(record, false, "maybe", "cmd-r")).exitCode());
        assertTrue(assertThrows(CommandException.class, () -> run(record, false, "on", "nobody")).getMessage()
                .contains("No camera 'nobody'"));
        h.remove("cmd-r");
    }

    record Result(int code, String out) {
    }

    static Result run(VigilCommand c, boolean json, String... args) throws CommandException {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        PrintWriter o = new PrintWriter(out, true);
        PrintWriter e = new PrintWriter(err, true);
        int code = c.execute(new CommandInvocation() {
            @Override
            public List<String> args() {
                return List.of(args);
            }

            @Override
            public boolean json() {
                return json;
            }

            @Override
            public PrintWriter out() {
                return o;
            }

            @Override
            public PrintWriter err() {
                return e;
            }

            @Override
            public boolean inRunningInstance() {
                return true;
            }
        });
        return new Result(code, out.toString());
    }

    static VigilCommand subcommand(String name) throws InvalidSyntaxException {
        for (ServiceReference<CameraSubcommand> r : context.getServiceReferences(CameraSubcommand.class, null)) {
            CameraSubcommand c = context.getService(r);
            if (c != null && c.name().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no 'camera " + name + "' subcommand");
    }

    static VigilCommand command(String name) throws InvalidSyntaxException {
        for (ServiceReference<VigilCommand> r : context.getServiceReferences(VigilCommand.class, null)) {
            VigilCommand c = context.getService(r);
            if (c != null && c.name().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no '" + name + "' command");
    }

    /** The settings service's camera part over Configuration Admin, as the settings bundle does it. */
    static final class AdminSettings implements SettingsService {
        private final ConfigurationAdmin admin;

        AdminSettings(ConfigurationAdmin admin) {
            this.admin = admin;
        }

        @Override
        public Optional<CameraConfig> camera(String id) throws SettingsException {
            try {
                Configuration[] found = admin.listConfigurations("(" + Constants.SERVICE_PID + "="
                        + CameraProperties.pid(id) + ")");
                if (found == null || found.length == 0) {
                    return Optional.empty();
                }
                return Optional.of(CameraProperties.toConfig(map(found[0].getProperties())));
            } catch (IOException | InvalidSyntaxException e) {
                throw new SettingsException(e.getMessage(), e);
            }
        }

        @Override
        public boolean saveCamera(CameraConfig camera) throws SettingsException {
            try {
                Configuration c = admin.getFactoryConfiguration(CameraSettings.FACTORY_PID, camera.id(), LOCATION);
                return c.updateIfDifferent(new Hashtable<>(CameraProperties.toProperties(camera)));
            } catch (IOException e) {
                throw new SettingsException(e.getMessage(), e);
            }
        }

        @Override
        public List<CameraConfig> cameras() {
            return new ArrayList<>();
        }

        @Override
        public boolean removeCamera(String id) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, Object> section(String pid) {
            return Collections.emptyMap();
        }

        @Override
        public boolean updateSection(String pid, Map<String, ?> changes) {
            throw new UnsupportedOperationException();
        }

        private static Map<String, Object> map(Dictionary<String, Object> d) {
            Map<String, Object> m = new HashMap<>();
            for (Enumeration<String> k = d.keys(); k.hasMoreElements();) {
                String key = k.nextElement();
                m.put(key, d.get(key));
            }
            return m;
        }
    }
}
