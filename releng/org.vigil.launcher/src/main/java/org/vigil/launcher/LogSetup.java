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

    private static volatile Handler fileHandler;

    /** @param logFile the current log file ({@link #CURRENT} in the data directory), or null for the console only */
    static void configure(Level consoleLevel, Path logFile) {
        fileHandler = null;
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
                fileHandler = file;
                currentFile = logFile;
            } catch (IOException | RuntimeException e) {
                root.warning("Cannot write the log file " + logFile + " (" + e.getMessage() + "); logging to the console only.");
            }
        }
    }

    /** Writes a failure with its stack trace to the log file only (not to the console); nothing without one. */
    static void toFile(String message, Throwable t) {
        Handler file = fileHandler;
        if (file == null) {
            return;
        }
        LogRecord r = new LogRecord(Level.SEVERE, message + ": " + t);
        r.setLoggerName(Main.class.getName());
        r.setThrown(t);
        file.publish(r);
        file.flush();
    }

    /** "the details are in <file>." or a hint to run again with VIGIL_LOG=debug. */
    static String whereTheDetailsAre() {
        Handler file = fileHandler;
        return file == null ? "run it again with VIGIL_LOG=debug for the details." : "the details are in the log file "
                + currentFile + ".";
    }

    private static volatile Path currentFile;

    /**
     * What the framework and bundles print to System.out and System.err themselves (Felix's cache errors, SCR's
     * messages, stack traces) goes to the log file only, never to the terminal: the user gets Vigil's own sentences
     * there. The launcher keeps the original streams for its own output (and the commands' output). Does nothing
     * without a log file.
     */
    static void captureStrayOutput() {
        Handler file = fileHandler;
        if (file == null) {
            return;
        }
        System.setOut(new java.io.PrintStream(new StrayLines(file, "stdout"), true, java.nio.charset.StandardCharsets.UTF_8));
        System.setErr(new java.io.PrintStream(new StrayLines(file, "stderr"), true, java.nio.charset.StandardCharsets.UTF_8));
    }

    /** Lines written to a stream, published one record each to the log file. */
    private static final class StrayLines extends java.io.OutputStream {
        private final Handler file;
        private final String name;
        private final java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();

        StrayLines(Handler file, String name) {
            this.file = file;
            this.name = name;
        }

        @Override
        public synchronized void write(int b) {
            if (b == '\n') {
                flushLine();
            } else if (line.size() < 64 * 1024) {
                line.write(b);
            }
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            for (int i = off; i < off + len; i++) {
                write(b[i]);
            }
        }

        private void flushLine() {
            String text = line.toString(java.nio.charset.StandardCharsets.UTF_8).stripTrailing();
            line.reset();
            if (text.isEmpty()) {
                return;
            }
            LogRecord r = new LogRecord(Level.INFO, text); // its own text says how bad it is
            r.setLoggerName(name);
            file.publish(r);
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
