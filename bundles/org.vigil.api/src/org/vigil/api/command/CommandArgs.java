package org.vigil.api.command;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Arguments of a command split into positional arguments and options. Options are {@code --name value},
 * {@code --name=value} or flags ({@code --dry-run}); an option may repeat ({@code --camera a --camera b}).
 * Unknown options and missing values are refused with one sentence pointing at {@code --help}.
 */
public final class CommandArgs {
    private final List<String> positional;
    private final Map<String, List<String>> options;

    private CommandArgs(List<String> positional, Map<String, List<String>> options) {
        this.positional = positional;
        this.options = options;
    }

    /**
     * @param command     the command's words, for messages ("camera add")
     * @param valued      options that take a value, without the dashes
     * @param flags       options that take no value, without the dashes
     */
    public static CommandArgs parse(String command, List<String> args, Set<String> valued, Set<String> flags)
            throws CommandException {
        List<String> positional = new ArrayList<>();
        Map<String, List<String>> options = new LinkedHashMap<>();
        boolean onlyPositional = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (onlyPositional || !a.startsWith("--") || a.equals("-")) {
                positional.add(a);
                continue;
            }
            if (a.equals("--")) {
                onlyPositional = true;
                continue;
            }
            String name = a.substring(2);
            String value = null;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            }
            if (flags.contains(name)) {
                if (value != null) {
                    throw CommandException.usage("The option --" + name + " takes no value; see 'vigil " + command
                            + " --help'.");
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add("true");
            } else if (valued.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.size()) {
                        throw CommandException.usage("The option --" + name + " needs a value; see 'vigil " + command
                                + " --help'.");
                    }
                    value = args.get(++i);
                }
                options.computeIfAbsent(name, k -> new ArrayList<>()).add(value);
            } else {
                throw CommandException.usage("Unknown option --" + name + " for 'vigil " + command + "'; see 'vigil "
                        + command + " --help'.");
            }
        }
        return new CommandArgs(Collections.unmodifiableList(positional), options);
    }

    public List<String> positional() {
        return positional;
    }

    /** The positional argument at {@code index}, or a usage error naming it. */
    public String require(int index, String what, String command) throws CommandException {
        if (index >= positional.size()) {
            throw CommandException.usage("Missing " + what + "; see 'vigil " + command + " --help'.");
        }
        return positional.get(index);
    }

    public boolean flag(String name) {
        return options.containsKey(name);
    }

    /** The last value given for an option. */
    public Optional<String> option(String name) {
        List<String> values = options.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(values.size() - 1));
    }

    /** Every value given for a repeatable option, in order. */
    public List<String> options(String name) {
        return options.getOrDefault(name, List.of());
    }
}
