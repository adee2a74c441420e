package org.vigil.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Vigil's components log through {@link System.Logger}, which goes to java.util.logging: one line per record on
 * standard error and in {@code <data>/logs/vigil-0.log} (the current file; {@code vigil-1.log} and {@code vigil-2.log}
 * are the older ones, 10 MB each). {@code VIGIL_LOG=debug|info|warning|error} sets the level.
 */
final class LogSetup {
    /** The current log file, relative to the data directory. */
    static final String CURRENT = "logs/vigil-0.log";

    private LogSetup() {
    }

    /** @param logFile the current log file ({@link #CURRENT} in the data directory), or null for the console only */
    static void configure(Level consoleLevel, Path logFile) {
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        Level level = levelFromEnvironment().orElse(Level.INFO);
        root.setLevel(level.intValue() < consoleLevel.intValue() ? level : Level.INFO);
        Handler console = new ConsoleHandler();
        console.setLevel(levelFromEnvironment().orElse(consoleLevel));
        console.setFormatter(new OneLine(false));
        root.addHandler(console);
        if (logFile != null) {
            try {
                Files.createDirectories(logFile.getParent());
                String pattern = logFile.getParent().resolve("vigil-%g.log").toString();
                FileHandler file = new FileHandler(pattern, 10 * 1024 * 1024, 3, true);
                file.setLevel(level);
                file.setFormatter(new OneLine(true));
                root.addHandler(file);
            } catch (IOException | RuntimeException e) {
                root.warning("Cannot write the log file " + logFile + " (" + e.getMessage() + "); logging to the console only.");
            }
        }
    }

    private static java.util.Optional<Level> levelFromEnvironment() {
        String v = System.getenv("VIGIL_LOG");
        if (v == null || v.isBlank()) {
            return java.util.Optional.empty();
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "trace" -> java.util.Optional.of(Level.FINEST);
            case "debug" -> java.util.Optional.of(Level.FINE);
            case "info" -> java.util.Optional.of(Level.INFO);
            case "warn", "warning" -> java.util.Optional.of(Level.WARNING);
            case "error" -> java.util.Optional.of(Level.SEVERE);
            default -> java.util.Optional.empty();
        };
    }

    /** {@code 2026-11-26 10:00:00.123 INFO  [CameraSupervisor] message}, with the stack trace in the file only. */
    static final class OneLine extends Formatter {
        private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
        private final boolean withStackTraces;

        OneLine(boolean withStackTraces) {
            this.withStackTraces = withStackTraces;
        }

        @Override
        public String format(LogRecord r) {
            String name = r.getLoggerName() == null ? "" : r.getLoggerName();
            String shortName = name.substring(name.lastIndexOf('.') + 1);
            StringBuilder sb = new StringBuilder(128);
            sb.append(TIME.format(LocalDateTime.now())).append(' ').append(levelName(r.getLevel())).append(" [")
                    .append(shortName).append("] ").append(formatMessage(r)).append(System.lineSeparator());
            if (withStackTraces && r.getThrown() != null) {
                java.io.StringWriter sw = new java.io.StringWriter();
                r.getThrown().printStackTrace(new java.io.PrintWriter(sw));
                sb.append(sw);
            }
            return sb.toString();
        }

        private static String levelName(Level l) {
            if (l.intValue() >= Level.SEVERE.intValue()) {
                return "ERROR";
            }
            if (l.intValue() >= Level.WARNING.intValue()) {
                return "WARN ";
            }
            if (l.intValue() >= Level.INFO.intValue()) {
                return "INFO ";
            }
            return "DEBUG";
        }
    }
}
