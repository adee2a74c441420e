package org.vigil.cli.internal;

import java.io.PrintWriter;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.felix.service.command.CommandSession;
import org.apache.felix.service.command.Function;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.command.CommandException;
import org.vigil.api.command.CommandInvocation;
import org.vigil.api.command.VigilCommand;
import org.vigil.api.platform.VigilMode;

/**
 * Runs {@code vigil <command> ...}: finds the {@link VigilCommand} service by name, answers {@code --help}, turns a
 * {@link CommandException} into one sentence and an exit code. Each command is also offered to the Gogo shell as
 * {@code vigil:<name>}.
 */
@Component(service = CommandDispatcher.class, immediate = true)
public final class CommandDispatcher {
    private static final Logger LOG = System.getLogger(CommandDispatcher.class.getName());

    private static final java.time.Duration STARTUP_WAIT = java.time.Duration.ofSeconds(60);

    private final Map<String, VigilCommand> commands = new ConcurrentHashMap<>();
    private final Map<VigilCommand, ServiceRegistration<Function>> gogo = new ConcurrentHashMap<>();
    private final BundleContext context;
    private final boolean inRunningInstance;
    private volatile boolean active = true;

    @Activate
    public CommandDispatcher(BundleContext context) {
        this.context = context;
        this.inRunningInstance = VigilMode.of(context.getProperty(VigilMode.PROPERTY)) != VigilMode.COMMAND;
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addCommand(VigilCommand command) {
        VigilCommand previous = commands.putIfAbsent(command.name(), command);
        if (previous != null && previous != command) {
            LOG.log(Level.WARNING, "Two bundles offer the command ''{0}''; keeping the first one.", command.name());
            return;
        }
        registerGogo(command);
    }

    void removeCommand(VigilCommand command) {
        commands.remove(command.name(), command);
        ServiceRegistration<Function> reg = gogo.remove(command);
        if (reg != null) {
            unregisterQuietly(reg);
        }
    }

    @Deactivate
    void deactivate() {
        active = false;
        for (ServiceRegistration<Function> reg : gogo.values()) {
            unregisterQuietly(reg);
        }
        gogo.clear();
    }

    /** The commands by name, sorted. */
    public Map<String, VigilCommand> commands() {
        return new TreeMap<>(commands);
    }

    public Optional<VigilCommand> find(String name) {
        return Optional.ofNullable(commands.get(name));
    }

    /**
     * Runs one command line (the words after {@code vigil}, global options removed).
     *
     * @return the exit code
     */
    public int run(List<String> words, boolean json, PrintWriter out, PrintWriter err) {
        return run(words, json, out, err, java.nio.file.Paths.get(System.getProperty("user.dir")));
    }

    /** As {@link #run(List, boolean, PrintWriter, PrintWriter)} for a client whose working directory is {@code cwd}. */
    public int run(List<String> words, boolean json, PrintWriter out, PrintWriter err, java.nio.file.Path cwd) {
        return run(words, json, out, err, cwd, null);
    }

    /** As above, for a client on the control socket that can go away while the command runs. */
    int run(List<String> words, boolean json, PrintWriter out, PrintWriter err, java.nio.file.Path cwd,
            ClientLink client) {
        try {
            awaitFrameworkStarted();
            if (words.isEmpty() || words.get(0).equals("help")) {
                return help(words.size() > 1 ? words.get(1) : null, out, err);
            }
            String name = words.get(0);
            VigilCommand command = commands.get(name);
            if (command == null) {
                err.println(shown("Unknown command '" + name + "'; 'vigil --help' lists the commands."));
                return CommandException.USAGE;
            }
            List<String> args = words.subList(1, words.size());
            if (args.contains("--help") || args.contains("-h")) {
                out.print(withNewline(command.help()));
                return 0;
            }
            return command.execute(new Invocation(args, json, out, err, inRunningInstance, cwd, client));
        } catch (CommandException e) {
            err.println(shown(e.getMessage()));
            return e.exitCode();
        } catch (IllegalArgumentException e) {
            err.println(shown(e.getMessage()));
            return CommandException.USAGE;
        } catch (RuntimeException e) {
            LOG.log(Level.ERROR, "The command '" + String.join(" ", words) + "' failed: " + e, e);
            err.println("The command failed unexpectedly (" + e + "); the details are in the log.");
            return CommandException.FAILED;
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Words longer than this in a message are shortened: a hostile 10,000-character id is not echoed whole. */
    static final int LONGEST_WORD = 256;

    /**
     * A command's failure sentence as it reaches a terminal: the user's own input quoted in it may hold control
     * characters (a newline, an ANSI escape that recolours or clears the terminal), shown as a backslash-u escape; a run
     * of more than {@value #LONGEST_WORD} characters without a space is shortened to its start and its length.
     */
    static String shown(String message) {
        if (message == null) {
            return "The command failed without saying why; the details are in the log.";
        }
        StringBuilder b = new StringBuilder(Math.min(message.length(), 1024));
        int run = 0;
        int runStart = 0;
        for (int i = 0; i < message.length(); i++) {
            char c = message.charAt(i);
            if (Character.isWhitespace(c) && c != '\n' && c != '\r' && c != '\t') {
                run = 0;
                b.append(c);
                continue;
            }
            if (run == 0) {
                runStart = i;
            }
            run++;
            if (run == LONGEST_WORD / 2) {
                int end = i;
                while (end < message.length() && !Character.isSpaceChar(message.charAt(end))) {
                    end++;
                }
                if (end - runStart > LONGEST_WORD) {
                    // keep the run's last two characters (a closing quote and punctuation)
                    b.append("...(").append(end - runStart).append(" characters)");
                    i = Math.max(i, end - 3);
                    continue;
                }
            }
            if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0)) {
                b.append(String.format("\\u%04X", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }

    /**
     * A command that arrives while the framework is still starting (the control socket listens before every bundle
     * has started) waits until it has, as the launcher does before it says "ready": otherwise the command's own
     * bundle may not have offered it yet ("Unknown command"). Bounded; a no-op once the framework runs.
     */
    private void awaitFrameworkStarted() {
        long deadline = System.nanoTime() + STARTUP_WAIT.toNanos();
        try {
            while (context.getBundle(0).getState() == org.osgi.framework.Bundle.STARTING
                    && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IllegalStateException e) {
            // this bundle is stopping
        }
    }

    private int help(String name, PrintWriter out, PrintWriter err) {
        if (name != null) {
            VigilCommand c = commands.get(name);
            if (c == null) {
                err.println("Unknown command '" + name + "'; 'vigil --help' lists the commands.");
                return CommandException.USAGE;
            }
            out.print(withNewline(c.help()));
            return 0;
        }
        int width = commands.keySet().stream().mapToInt(String::length).max().orElse(8);
        for (Map.Entry<String, VigilCommand> e : commands().entrySet()) {
            out.printf("  vigil %-" + width + "s   %s%n", e.getKey(), e.getValue().summary());
        }
        return 0;
    }

    private static String withNewline(String s) {
        return s.endsWith("\n") ? s : s + "\n";
    }

    private void registerGogo(VigilCommand command) {
        if (!active) {
            return;
        }
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("osgi.command.scope", "vigil");
        props.put("osgi.command.function", command.name());
        Function f = (CommandSession session, List<Object> arguments) -> {
            List<String> words = new ArrayList<>();
            words.add(command.name());
            boolean json = false;
            for (Object a : arguments) {
                String s = String.valueOf(a);
                if (s.equals("--json")) {
                    json = true;
                } else {
                    words.add(s);
                }
            }
            PrintWriter out = new PrintWriter(session.getConsole(), true);
            int code = run(words, json, out, out);
            return code == 0 ? null : "exit code " + code;
        };
        try {
            gogo.put(command, context.registerService(Function.class, f, props));
        } catch (IllegalStateException e) {
            // the bundle is stopping
        }
    }

    private static void unregisterQuietly(ServiceRegistration<?> reg) {
        try {
            reg.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }

    private record Invocation(List<String> args, boolean json, PrintWriter out, PrintWriter err,
            boolean inRunningInstance, java.nio.file.Path workingDirectory, ClientLink client)
            implements CommandInvocation {
        @Override
        public org.vigil.api.platform.Registration onClientGone(Runnable action) {
            return client == null ? () -> { } : client.onGone(action);
        }

        @Override
        public boolean clientGone() {
            return client != null && client.isGone();
        }
    }
}
