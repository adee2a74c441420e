package org.vigil.config.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.camera.CameraId;
import org.vigil.api.camera.CameraUrls;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.config.CameraProperties;
import org.vigil.api.config.CameraSubcommand;
import org.vigil.api.config.RecordingSettings;
import org.vigil.api.config.SettingsException;

/**
 * {@code vigil camera add|list|show|set|remove}: the cameras' settings. Other bundles add subcommands (such as
 * {@code vigil camera status}) as {@link CameraSubcommand} services; they are dispatched here and listed in the help.
 * URLs are always shown with their password masked.
 */
@Component(service = VigilCommand.class)
public final class CameraCommand implements VigilCommand {
    static final String NAME = "camera";
    private static final Set<String> BUILT_IN = Set.of("add", "list", "show", "set", "remove", "help");
    private static final Set<String> ADD_OPTIONS = Set.of("name", "sub-url", "codec", "record", "enabled",
            "transport", "reconnect-min", "reconnect-max", "watchdog", "segment");

    private final ConfigStorage storage;
    private final SettingsAccess settings = new SettingsAccess();
    private final Map<String, CameraSubcommand> subcommands = new ConcurrentHashMap<>();

    @Activate
    public CameraCommand(@Reference ConfigStorage storage) {
        this.storage = storage;
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSettings(ConfigAdminSettings s) {
        settings.bind(s);
    }

    void unbindSettings(ConfigAdminSettings s) {
        settings.unbind(s);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addSubcommand(CameraSubcommand subcommand) {
        String name = subcommand.name();
        if (!BUILT_IN.contains(name)) {
            subcommands.putIfAbsent(name, subcommand);
        }
    }

    void removeSubcommand(CameraSubcommand subcommand) {
        subcommands.remove(subcommand.name(), subcommand);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "add, list, show, change or remove cameras";
    }

    @Override
    public String help() {
        StringBuilder b = new StringBuilder();
        b.append("""
                Usage:
                  vigil camera list [--json]              the cameras and their main settings
                  vigil camera show <id> [--json]         every setting of one camera
                  vigil camera add <id> <url> [options]   add a camera
                  vigil camera set <id> key=value...      change settings of a camera
                  vigil camera remove <id>                remove a camera (its recordings are kept)
                """);
        for (CameraSubcommand s : new TreeMap<>(subcommands).values()) {
            b.append(String.format("  vigil camera %-26s %s%n", s.name() + " ...", s.summary()));
        }
        b.append("""

                <id> names the camera and its recordings folder: 1 to 64 characters of a-z, 0-9, '_' and '-',
                starting with a letter or digit. <url> is the camera's main stream, rtsp:// or rtsps://.

                Options of add (and keys of set, written key=value):
                  --name NAME          name shown in the workbench (default: the id)
                  --sub-url URL        low-resolution stream for live view; set sub-url= to remove it
                  --codec C            auto, h264, h265 or mjpeg (default auto: taken from the stream)
                  --record on|off      record this camera, or only show it live (default on)
                  --enabled on|off     use this camera at all (default on)
                  --transport T        tcp or udp (default tcp)
                  --reconnect-min S    seconds before the first reconnect attempt (default 1)
                  --reconnect-max S    longest wait between reconnect attempts (default 30)
                  --watchdog S         seconds without video before the stream counts as lost (default 5)
                  --segment S          length of a recorded file in seconds (default: recording.segmentSeconds)
                  --password-file F    (add and set) the password of the main URL's user, from the first line of
                                       F, a file only you can read (chmod 600); the URL then names only the user:
                                       rtsp://admin@host/... . A password on the command line is seen by every
                                       local user in 'ps' while the command runs; a file is not.
                  --password-stdin     (add and set) as --password-file, the password typed at a prompt (not
                                       shown) or read from the first line of standard input:
                                       printf '%s\\n' "$PW" | vigil camera set front --password-stdin

                Passwords in URLs are kept in config.db (readable by you only) and always shown as
                rtsp://user:***@host/... ; 'vigil config export --with-secrets' is the only way to get them back.

                Examples:
                  vigil camera add front rtsp://admin:secret@192.168.1.20:554/stream1 --name "Front door"
                  vigil camera add back rtsp://admin@192.168.1.21:554/stream1 --password-file ~/back.pw
                  vigil camera add side rtsp://admin@192.168.1.22:554/stream1 --password-stdin
                  vigil camera set front record=off sub-url=rtsp://admin:secret@192.168.1.20:554/stream2
                  vigil camera list --json
                """);
        return b.toString();
    }

    @Override
    public int execute(CommandInvocation invocation) throws CommandException {
        List<String> args = invocation.args();
        if (args.isEmpty()) {
            throw CommandException.usage("Say what to do with cameras: vigil camera list|show|add|set|remove; see"
                    + " 'vigil camera --help'.");
        }
        String sub = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (sub) {
            case "list":
                return list(invocation, rest);
            case "show":
                return show(invocation, rest);
            case "add":
                return add(invocation, rest);
            case "set":
                return set(invocation, rest);
            case "remove":
                return remove(invocation, rest);
            case "help":
                invocation.out().print(help());
                return 0;
            default:
                CameraSubcommand extension = subcommands.get(sub);
                if (extension != null) {
                    return extension.execute(new SubInvocation(invocation, rest));
                }
                List<String> known = new ArrayList<>(List.of("list", "show", "add", "set", "remove"));
                known.addAll(new TreeMap<>(subcommands).keySet());
                throw CommandException.usage("Unknown subcommand 'camera " + sub + "': use one of "
                        + String.join(", ", known) + "; see 'vigil camera --help'.");
        }
    }

    private int list(CommandInvocation inv, List<String> args) throws CommandException {
        CommandArgs a = CommandArgs.parse("camera list", args, Set.of(), Set.of("json"));
        noPositional(a, "camera list");
        List<CameraConfig> cameras = call(() -> settings().cameras());
        PrintWriter out = inv.out();
        if (inv.json() || a.flag("json")) {
            out.println(JsonOutput.write(cameras.stream().map(ConfigData::camera).toList()));
            return 0;
        }
        if (cameras.isEmpty()) {
            out.println("No cameras yet; add one with 'vigil camera add <id> <rtsp-url>'.");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "ID", "NAME", "RECORD", "ENABLED", "CODEC", "URL" });
        for (CameraConfig c : cameras) {
            rows.add(new String[] { c.id(), c.name(), onOff(c.record()), onOff(c.enabled()), c.codec().id(),
                    CameraUrls.mask(c.url()) });
        }
        Text.table(out, rows);
        return 0;
    }

    private int show(CommandInvocation inv, List<String> args) throws CommandException {
        CommandArgs a = CommandArgs.parse("camera show", args, Set.of(), Set.of("json"));
        String id = a.require(0, "the camera id", "camera show");
        CameraConfig c = existing(id);
        PrintWriter out = inv.out();
        if (inv.json() || a.flag("json")) {
            out.println(JsonOutput.write(ConfigData.camera(c)));
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] { "id", c.id() });
        rows.add(new String[] { "name", c.name() });
        rows.add(new String[] { "url", CameraUrls.mask(c.url()) });
        rows.add(new String[] { "sub-url", c.subUrl().map(CameraUrls::mask).orElse("(none: live view uses url)") });
        rows.add(new String[] { "codec", c.codec().id() });
        rows.add(new String[] { "record", onOff(c.record()) });
        rows.add(new String[] { "enabled", onOff(c.enabled()) });
        rows.add(new String[] { "transport", c.transport().id() });
        rows.add(new String[] { "reconnect-min", c.reconnectMin().toSeconds() + " s" });
        rows.add(new String[] { "reconnect-max", c.reconnectMax().toSeconds() + " s" });
        rows.add(new String[] { "watchdog", c.watchdog().toSeconds() + " s" });
        rows.add(new String[] { "segment", c.segmentLength().toSeconds() + " s" });
        Text.pairs(out, rows);
        return 0;
    }

    private int add(CommandInvocation inv, List<String> args) throws CommandException {
        Set<String> valued = new java.util.HashSet<>(ADD_OPTIONS);
        valued.add(PasswordFile.OPTION);
        CommandArgs a = CommandArgs.parse("camera add", args, valued, Set.of());
        String id = a.require(0, "the camera id", "camera add");
        String url = a.require(1, "the camera's rtsp:// URL", "camera add");
        if (a.positional().size() > 2) {
            throw CommandException.usage("Too many arguments for 'vigil camera add' ('" + a.positional().get(2)
                    + "'); put a name with spaces in quotes: --name \"Front door\".");
        }
        checkId(id);
        ConfigAdminSettings s = settings();
        if (call(() -> s.camera(id)).isPresent()) {
            throw new CommandException("Camera '" + id + "' already exists; change it with 'vigil camera set " + id
                    + " key=value' or remove it first.");
        }
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(CameraProperties.ID, id);
        props.put(CameraProperties.URL, withPasswordFile(inv, a, url));
        Object segment = call(() -> s.section(RecordingSettings.PID)).get("segmentSeconds");
        if (segment != null) {
            props.put(CameraProperties.SEGMENT, segment);
        }
        for (String option : ADD_OPTIONS) {
            Optional<String> v = a.option(option);
            if (v.isPresent()) {
                props.put(CameraKeys.property(option).orElseThrow(), v.get());
            }
        }
        CameraConfig camera = valid(props);
        call(() -> {
            s.addCamera(camera);
            return null;
        });
        inv.out().println("Added camera " + camera.id() + " (" + camera.name() + "): " + CameraUrls.mask(camera.url())
                + ", codec " + camera.codec().id() + ", recording " + onOff(camera.record()) + ".");
        return 0;
    }

    private int set(CommandInvocation inv, List<String> args) throws CommandException {
        CommandArgs a = CommandArgs.parse("camera set", args, Set.of(PasswordFile.OPTION), Set.of());
        String id = a.require(0, "the camera id", "camera set");
        if (a.positional().size() < 2 && a.option(PasswordFile.OPTION).isEmpty()) {
            throw CommandException.usage("Say what to change, as key=value (such as record=off); the keys are "
                    + CameraKeys.names() + ".");
        }
        ConfigAdminSettings s = settings();
        checkId(id);
        Map<String, Object> props = call(() -> s.cameraProperties(id)).orElseThrow(() -> new CommandException(
                "There is no camera '" + id + "'; 'vigil camera list' shows the cameras."));
        List<String> changed = new ArrayList<>();
        for (String pair : a.positional().subList(1, a.positional().size())) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw CommandException.usage("Write each change as key=value, such as name=\"Front door\"; got '"
                        + pair + "'.");
            }
            String key = pair.substring(0, eq).strip();
            String value = pair.substring(eq + 1);
            if (key.equalsIgnoreCase("id")) {
                throw new CommandException("The id of a camera cannot be changed: add the camera under the new id"
                        + " and remove the old one.");
            }
            String property = CameraKeys.property(key).orElseThrow(() -> new CommandException("Unknown camera"
                    + " setting '" + key + "': the keys are " + CameraKeys.names() + "."));
            if (value.isBlank() && (property.equals(CameraProperties.SUB_URL) || property.equals(CameraProperties.NAME))) {
                props.remove(property);
            } else {
                props.put(property, value);
            }
            changed.add(key.toLowerCase(Locale.ROOT));
        }
        if (a.option(PasswordFile.OPTION).isPresent()) {
            String current = String.valueOf(props.get(CameraProperties.URL));
            if (!changed.contains("url")) {
                current = PasswordFile.withoutPassword(current); // the file replaces the stored password
            }
            props.put(CameraProperties.URL, withPasswordFile(inv, a, current));
            changed.add("password");
        }
        CameraConfig camera = valid(props);
        boolean written = call(() -> s.changeCamera(camera));
        inv.out().println(written ? "Changed camera " + id + ": " + String.join(", ", changed) + "."
                : "Camera " + id + " already has these settings; nothing was written.");
        return 0;
    }

    private int remove(CommandInvocation inv, List<String> args) throws CommandException {
        CommandArgs a = CommandArgs.parse("camera remove", args, Set.of(), Set.of());
        String id = a.require(0, "the camera id", "camera remove");
        checkId(id);
        ConfigAdminSettings s = settings();
        if (!call(() -> s.removeCamera(id))) {
            throw new CommandException("There is no camera '" + id + "'; 'vigil camera list' shows the cameras.");
        }
        inv.out().println("Removed camera " + id + "; its recordings are kept.");
        return 0;
    }

    /** {@code url} with the password from {@code --password-file}, when given. */
    private static String withPasswordFile(CommandInvocation inv, CommandArgs a, String url) throws CommandException {
        Optional<String> file = a.option(PasswordFile.OPTION);
        return file.isEmpty() ? url : PasswordFile.addTo("main URL", url, inv.resolvePath(file.get()));
    }

    private CameraConfig existing(String id) throws CommandException {
        checkId(id);
        return call(() -> settings().camera(id)).orElseThrow(() -> new CommandException("There is no camera '" + id
                + "'; 'vigil camera list' shows the cameras."));
    }

    private static void checkId(String id) throws CommandException {
        try {
            CameraId.require(id);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }

    private static CameraConfig valid(Map<String, Object> props) throws CommandException {
        try {
            return ConfigData.validCamera(props);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }

    private static void noPositional(CommandArgs a, String command) throws CommandException {
        if (!a.positional().isEmpty()) {
            throw CommandException.usage("'vigil " + command + "' takes no argument ('" + a.positional().get(0)
                    + "'); see 'vigil camera --help'.");
        }
    }

    private ConfigAdminSettings settings() throws CommandException {
        return settings.await(storage, SettingsAccess.WAIT);
    }

    static String onOff(boolean b) {
        return b ? "on" : "off";
    }

    interface SettingsCall<T> {
        T call() throws SettingsException, CommandException;
    }

    static <T> T call(SettingsCall<T> c) throws CommandException {
        try {
            return c.call();
        } catch (SettingsException e) {
            throw new CommandException(e.getMessage());
        }
    }

    /** The invocation a subcommand gets: the words after its name. */
    private record SubInvocation(CommandInvocation parent, List<String> args) implements CommandInvocation {
        @Override
        public boolean json() {
            return parent.json();
        }

        @Override
        public PrintWriter out() {
            return parent.out();
        }

        @Override
        public PrintWriter err() {
            return parent.err();
        }

        @Override
        public boolean inRunningInstance() {
            return parent.inRunningInstance();
        }
    }
}
