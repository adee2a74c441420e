package org.vigil.launcher;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line with its global options taken out. {@code --data DIR} and {@code --json} are accepted anywhere;
 * everything else stays in {@link #words} for the command.
 */
final class Options {
    final List<String> words;
    final Path dataDir;
    final boolean json;
    final boolean help;

    private Options(List<String> words, Path dataDir, boolean json, boolean help) {
        this.words = words;
        this.dataDir = dataDir;
        this.json = json;
        this.help = help;
    }

    static Options parse(String[] args, String environmentData) throws UsageException {
        List<String> words = new ArrayList<>();
        String data = null;
        boolean json = false;
        boolean help = false;
        boolean rest = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (rest) {
                words.add(a);
            } else if (a.equals("--")) {
                rest = true;
                words.add(a);
            } else if (a.equals("--data")) {
                if (i + 1 >= args.length || args[i + 1].isBlank()) {
                    throw new UsageException("The option --data needs a directory, as in --data /srv/vigil.");
                }
                data = args[++i];
            } else if (a.startsWith("--data=")) {
                data = a.substring("--data=".length());
                if (data.isBlank()) {
                    throw new UsageException("The option --data needs a directory, as in --data /srv/vigil.");
                }
            } else if (a.equals("--json")) {
                json = true;
            } else if (a.equals("--help") || a.equals("-h")) {
                help = true;
            } else {
                words.add(a);
            }
        }
        if (data != null) {
            refuseACommandTakenForADirectory(data.trim());
        }
        return new Options(List.copyOf(words), locate(data, environmentData), json, help);
    }

    /** The first words of Vigil's commands, the launcher's and the bundles'. */
    private static final java.util.Set<String> COMMAND_WORDS = java.util.Set.of("help", "version", "run", "democam",
            "shell", "status", "camera", "config", "storage", "recordings", "record", "export", "snapshot", "backup",
            "verify", "metrics", "live", "probe", "retention", "settings", "bundles");

    /**
     * {@code vigil --data camera list} would make {@code ./camera} a data directory and run {@code list}: a word
     * without a slash that names a command and no existing file is taken for a forgotten directory, not created.
     */
    private static void refuseACommandTakenForADirectory(String data) throws UsageException {
        if (!data.contains("/") && COMMAND_WORDS.contains(data) && !java.nio.file.Files.exists(Paths.get(data))) {
            throw new UsageException("The option --data needs a directory, and '" + data + "' is a command: write the"
                    + " directory first, as in vigil --data /srv/vigil " + data + " ... (to use a folder named '"
                    + data + "' here, write --data ./" + data + ").");
        }
    }

    /** Same rule as the data directory service: the option, else $VIGIL_DATA, else the XDG default. */
    static Path locate(String option, String environment) {
        if (option != null && !option.isBlank()) {
            return Paths.get(option.trim()).toAbsolutePath().normalize();
        }
        if (environment != null && !environment.isBlank()) {
            return Paths.get(environment.trim()).toAbsolutePath().normalize();
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Paths.get(xdg) : Paths.get(System.getProperty("user.home"), ".local", "share");
        return base.resolve("vigil").toAbsolutePath().normalize();
    }

    String command() {
        return words.isEmpty() ? "" : words.get(0);
    }

    List<String> commandArgs() {
        return words.isEmpty() ? List.of() : words.subList(1, words.size());
    }
}
