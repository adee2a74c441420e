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
        return new Options(List.copyOf(words), locate(data, environmentData), json, help);
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
