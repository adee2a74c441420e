package org.vigil.camera.internal;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.camera.CameraConfig;
import org.vigil.api.command.CommandArgs;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.JsonOutput;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.config.SettingsException;
import org.vigil.api.config.SettingsService;

/**
 * {@code vigil record on|off <id>}: switches a camera's recording in its settings (through the settings service and
 * Configuration Admin); a running recorder applies it at once, the camera then streams for live view only.
 */
@Component(service = VigilCommand.class)
public final class RecordCommand implements VigilCommand {
    private volatile SettingsService settings;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindSettings(SettingsService s) {
        settings = s;
    }

    void unbindSettings(SettingsService s) {
        if (settings == s) {
            settings = null;
        }
    }

    @Override
    public String name() {
        return "record";
    }

    @Override
    public String summary() {
        return "switch a camera's recording on or off";
    }

    @Override
    public String help() {
        return """
                Usage:
                  vigil record on <id>     record camera <id> (its default)
                  vigil record off <id>    stop recording camera <id>; it stays available for live view

                The setting is saved (it survives a restart); a running recorder applies it within a second.

                Examples:
                  vigil record off front
                  vigil record on front --json
                """;
    }

    @Override
    public int execute(CommandInvocation inv) throws CommandException {
        CommandArgs a = CommandArgs.parse("record", inv.args(), Set.of(), Set.of("json"));
        String onOff = a.require(0, "on or off", "record").toLowerCase(Locale.ROOT);
        boolean on;
        switch (onOff) {
            case "on" -> on = true;
            case "off" -> on = false;
            default -> throw CommandException.usage("Say 'on' or 'off', not '" + onOff + "': vigil record on|off"
                    + " <id>.");
        }
        String id = a.require(1, "the camera id", "record");
        if (a.positional().size() > 2) {
            throw CommandException.usage("'vigil record' takes one camera id; see 'vigil record --help'.");
        }
        SettingsService s = settings;
        if (s == null) {
            throw new CommandException("The settings service is not running (bundle org.vigil.config), so the"
                    + " setting cannot be saved; check 'vigil bundles'.");
        }
        boolean changed;
        try {
            Optional<CameraConfig> found = s.camera(id);
            CameraConfig c = found.orElseThrow(() -> new CommandException("No camera '" + id
                    + "' is configured; see 'vigil camera list'."));
            changed = c.record() != on;
            if (changed) {
                s.saveCamera(new CameraConfig(c.id(), c.name(), c.url(), c.subUrl(), c.codec(), on, c.enabled(),
                        c.transport(), c.reconnectMin(), c.reconnectMax(), c.watchdog(), c.segmentLength()));
            }
        } catch (SettingsException e) {
            throw new CommandException(e.getMessage());
        }
        if (inv.json() || a.flag("json")) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("camera", id);
            m.put("record", on);
            m.put("changed", changed);
            inv.out().println(JsonOutput.write(m));
        } else if (changed) {
            inv.out().println("Recording of camera " + id + " is now " + onOff + ".");
        } else {
            inv.out().println("Recording of camera " + id + " was already " + onOff + ".");
        }
        return 0;
    }
}
