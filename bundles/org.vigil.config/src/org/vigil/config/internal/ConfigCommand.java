package org.vigil.config.internal;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.config.SettingsException;

/**
 * {@code vigil config get|set|export|import}: the settings sections ({@code recording}, {@code retention},
 * {@code backup}, {@code ui}) and whole setups as JSON files.
 */
@Component(service = VigilCommand.class)
public final class ConfigCommand implements VigilCommand {
    static final String NAME = "config";

    private final ConfigStorage storage;
    private final SettingsAccess settings = new SettingsAccess();

    @Activate
    public ConfigCommand(@Reference ConfigStorage storage) {
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

    /**
     * The storage's retention preview ({@code org.vigil.storage}'s {@code RetentionPreviewService}): a plain
     * {@link Function} so that this bundle needs no storage API. Absent when no storage runs.
     */
    @Reference(service = Function.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(vigil.preview=retention)")
    private volatile Function<Map<String, Object>, Map<String, Object>> retentionPreview;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String summary() {
        return "show or change settings; export or import a whole setup";
    }

    @Override
    public String help() {
        StringBuilder b = new StringBuilder("""
                Usage:
                  vigil config get [section | section.key] [--json]   show settings (defaults marked)
                  vigil config set section.key=value... [--yes]       change settings (key= resets to the default)
                  vigil config export [file] [--with-secrets] [--overwrite]
                                                      the whole setup as JSON (to the screen without file)
                  vigil config import <file> [--replace] [--dry-run]  apply a setup exported on this or another box

                Settings:
                """);
        for (Sections.Section s : Sections.ALL) {
            for (Sections.Key k : s.keys()) {
                b.append(String.format("  %-32s %s: %s (default %s)%n", k.qualified(), k.help(), k.rule(),
                        defaultText(k)));
            }
        }
        b.append("""

                Retention settings that would delete more than 10 % or more than a day of a camera's recordings
                are shown (files, size, time range per camera) and saved only with --yes.
                Cameras are changed with 'vigil camera'; an export includes them. Passwords in camera URLs are
                masked in an export unless --with-secrets is given (the file is then readable by you only); an
                existing file is replaced only with --overwrite. An
                import checks the whole file first and writes nothing if one entry is wrong; it adds and changes
                what the file names and, with --replace, also removes cameras and resets settings the file does not
                name. --dry-run says what would change. The file must be a regular file of at most 1 MiB. A relative file name is taken from the directory the
                Vigil instance runs in: give an absolute path.

                Examples:
                  vigil config set retention.maxAgeDays=30 retention.minFreeDiskPercent=15
                  vigil config get retention --json
                  vigil config export /media/usb/vigil-setup.json --with-secrets
                  vigil config import /media/usb/vigil-setup.json --dry-run
                """);
        return b.toString();
    }

    @Override
    public int execute(CommandInvocation invocation) throws CommandException {
        List<String> args = invocation.args();
        if (args.isEmpty()) {
            throw CommandException.usage("Say what to do with settings: vigil config get|set|export|import; see"
                    + " 'vigil config --help'.");
        }
        List<String> rest = args.subList(1, args.size());
        return switch (args.get(0)) {
            case "get" -> get(invocation, rest);
            case "set" -> set(invocation, rest);
            case "export" -> export(invocation, rest);
            case "import" -> importSetup(invocation, rest);
            case "help" -> {
                invocation.out().print(help());
                yield 0;
            }
            default -> throw CommandException.usage("Unknown subcommand 'config " + args.get(0) + "': use get, set,"
                    + " export or import; see 'vigil config --help'.");
        };
    }

    private int get(CommandInvocation inv, List<String> args) throws CommandException {
        CommandArgs a = CommandArgs.parse("config get", args, Set.of(), Set.of("json"));
        boolean json = inv.json() || a.flag("json");
        ConfigAdminSettings s = settings();
        PrintWriter out = inv.out();
        if (a.positional().size() > 1) {
            throw CommandException.usage("'vigil config get' takes one section or key at most; see 'vigil config"
                    + " --help'.");
        }
        String what = a.positional().isEmpty() ? null : a.positional().get(0);
        if (what != null && what.contains(".")) {
            Sections.Key key = key(what);
            Map<String, Object> stored = CameraCommand.call(() -> s.section(Sections.byName(key.sectionName())
                    .orElseThrow().pid()));
            Object v = stored.getOrDefault(key.name(), key.defaultValue());
            if (json) {
                out.println(JsonOutput.write(Map.of(key.qualified(), Json.value(v))));
            } else {
                out.println(Sections.show(v));
            }
            return 0;
        }
        if (json) {
            try {
                out.println(JsonOutput.write(CameraCommand.call(() -> ConfigData.settings(s,
                        java.util.Optional.ofNullable(what)))));
            } catch (IllegalArgumentException e) {
                throw new CommandException(e.getMessage());
            }
            return 0;
        }
        List<Sections.Section> shown = new ArrayList<>();
        if (what == null) {
            shown.addAll(Sections.ALL);
        } else {
            shown.add(Sections.byName(what).orElseThrow(() -> new CommandException("Unknown settings section '"
                    + what + "': the sections are " + Sections.names() + " (cameras: 'vigil camera list').")));
        }
        List<String[]> rows = new ArrayList<>();
        for (Sections.Section section : shown) {
            Map<String, Object> stored = CameraCommand.call(() -> s.section(section.pid()));
            for (Sections.Key k : section.keys()) {
                boolean set = stored.containsKey(k.name());
                Object v = set ? stored.get(k.name()) : k.defaultValue();
                String text = Sections.show(v);
                rows.add(new String[] { k.qualified(), (text.isEmpty() ? "\"\"" : text) + (set ? "" : "  (default)") });
            }
        }
        Text.pairs(out, rows);
        return 0;
    }

    private int set(CommandInvocation inv, List<String> args) throws CommandException {
        CommandArgs a = CommandArgs.parse("config set", args, Set.of(), Set.of("yes"));
        if (a.positional().isEmpty()) {
            throw CommandException.usage("Say what to change, as section.key=value (such as"
                    + " retention.maxAgeDays=30); see 'vigil config --help'.");
        }
        Map<String, Map<String, Object>> changes = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        for (String pair : a.positional()) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw CommandException.usage("Write each change as section.key=value, such as"
                        + " retention.maxAgeDays=30; got '" + pair + "'.");
            }
            Sections.Key key = key(pair.substring(0, eq).strip());
            String value = pair.substring(eq + 1);
            try {
                changes.computeIfAbsent(Sections.byName(key.sectionName()).orElseThrow().pid(),
                        k -> new LinkedHashMap<>()).put(key.name(), value.isEmpty() ? null : key.parse(value));
            } catch (IllegalArgumentException e) {
                throw new CommandException(e.getMessage() + " Nothing was changed.");
            }
            names.add(key.qualified());
        }
        ConfigAdminSettings s = settings();
        Map<String, Map<String, Object>> sections = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Object>> e : changes.entrySet()) {
            Map<String, Object> merged = CameraCommand.call(() -> s.mergeSection(e.getKey(), e.getValue()));
            if (!ConfigAdminSettings.sameValues(CameraCommand.call(() -> s.section(e.getKey())), merged)) {
                sections.put(e.getKey(), merged);
            }
        }
        if (sections.isEmpty()) {
            inv.out().println("The settings already have these values; nothing was written.");
            return 0;
        }
        List<String> deleting = retentionCheck(inv, sections.get(Sections.RETENTION.pid()), a.flag("yes"));
        CameraCommand.call(() -> s.apply(new ConfigAdminSettings.Plan(List.of(), List.of(), sections)));
        inv.out().println("Saved " + String.join(", ", names) + ".");
        if (!deleting.isEmpty()) {
            inv.out().println("Retention deletes now:");
            deleting.forEach(l -> inv.out().println("  " + l));
        }
        return 0;
    }

    /**
     * New retention settings that would delete more than a little of a camera (the storage's preview decides) are
     * shown and refused without {@code --yes}. Answers the preview's lines (what will go), empty when nothing goes.
     */
    private List<String> retentionCheck(CommandInvocation inv, Map<String, Object> retention, boolean yes)
            throws CommandException {
        Function<Map<String, Object>, Map<String, Object>> preview = retentionPreview;
        if (retention == null || preview == null) {
            return List.of();
        }
        Map<String, Object> p;
        try {
            p = preview.apply(retention);
        } catch (RuntimeException e) {
            throw new CommandException("What the new retention settings would delete cannot be worked out ("
                    + e.getMessage() + "); nothing was changed.");
        }
        List<String> lines = new ArrayList<>();
        if (p.get("lines") instanceof List<?> l) {
            l.forEach(x -> lines.add(String.valueOf(x)));
        }
        if (Boolean.TRUE.equals(p.get("large")) && !yes) {
            inv.out().println("These retention settings would delete now:");
            lines.forEach(l -> inv.out().println("  " + l));
            throw new CommandException("Nothing was changed: the new retention settings would delete more than 10 %"
                    + " or more than a day of a camera's recordings (listed above); run the command again with --yes"
                    + " to apply them.");
        }
        return lines;
    }

    private int export(CommandInvocation inv, List<String> args) throws CommandException {
        CommandArgs a = CommandArgs.parse("config export", args, Set.of(), Set.of("with-secrets", "overwrite"));
        if (a.positional().size() > 1) {
            throw CommandException.usage("'vigil config export' takes one file at most; see 'vigil config --help'.");
        }
        boolean secrets = a.flag("with-secrets");
        Path target = a.positional().isEmpty() ? null : inv.resolvePath(a.positional().get(0));
        if (target != null && Files.isDirectory(target)) {
            throw new CommandException(target + " is a folder; give the name of the file to write, such as " + target
                    .resolve("vigil-setup.json") + ".");
        }
        if (target != null && Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !a.flag("overwrite")) {
            throw new CommandException("The file " + target + " exists; choose another name or add --overwrite to"
                    + " replace it.");
        }
        if (target != null && (target.getParent() == null || !Files.isDirectory(target.getParent()))) {
            throw new CommandException("The folder " + target.getParent() + " does not exist; choose an existing"
                    + " folder for the setup file.");
        }
        ConfigAdminSettings s = settings();
        Map<String, Object> doc = CameraCommand.call(() -> SetupFile.export(s, secrets));
        String text = JsonOutput.write(doc) + "\n";
        if (a.positional().isEmpty()) {
            inv.out().print(text);
            return 0;
        }
        Path file = target;
        SetupFile.write(file, text);
        int cameras = ((List<?>) doc.get("cameras")).size();
        inv.out().println("Exported " + cameras + " camera(s) and the settings to " + file + (secrets
                ? " with camera passwords: keep the file private (it is readable by you only)."
                : " (camera passwords masked; add --with-secrets to include them)."));
        return 0;
    }

    private int importSetup(CommandInvocation inv, List<String> args) throws CommandException {
        CommandArgs a = CommandArgs.parse("config import", args, Set.of(), Set.of("replace", "dry-run"));
        String name = a.require(0, "the setup file to import", "config import");
        if (a.positional().size() > 1) {
            throw CommandException.usage("'vigil config import' takes one file; see 'vigil config --help'.");
        }
        Path file = inv.resolvePath(name);
        ConfigAdminSettings s = settings();
        SetupFile.Import plan = CameraCommand.call(() -> SetupFile.read(file, s, a.flag("replace")));
        if (a.flag("dry-run")) {
            inv.out().println("Importing " + file + " would make: " + plan.summary() + ". Nothing was written.");
            return 0;
        }
        if (plan.plan().isEmpty()) {
            inv.out().println("The settings already match " + file + "; nothing was written.");
            return 0;
        }
        try {
            s.apply(plan.plan());
        } catch (SettingsException e) {
            throw new CommandException(e.getMessage());
        }
        inv.out().println("Imported " + file + ": " + plan.summary() + ".");
        return 0;
    }

    private static Sections.Key key(String qualified) throws CommandException {
        try {
            return Sections.key(qualified);
        } catch (IllegalArgumentException e) {
            throw new CommandException(e.getMessage());
        }
    }

    private static String defaultText(Sections.Key k) {
        String s = Sections.show(k.defaultValue());
        return s.isEmpty() ? "empty" : s;
    }

    private ConfigAdminSettings settings() throws CommandException {
        return settings.await(storage, SettingsAccess.WAIT);
    }
}
