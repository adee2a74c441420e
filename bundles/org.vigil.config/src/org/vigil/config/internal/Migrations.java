package org.vigil.config.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The schema migrations shipped in this bundle ({@code db/migrations/NNNN-name.sql}), in the order they are applied.
 * The schema version of a database is its {@code PRAGMA user_version}: the number of the last migration applied.
 * A migration is never changed once released; a change to the schema is a new migration at the end of the list.
 */
public final class Migrations {
    /** One migration: its number (= the schema version it produces), resource and what it does. */
    record Migration(int version, String resource, String description) {
        List<String> statements() {
            try (InputStream in = Migrations.class.getResourceAsStream("/db/migrations/" + resource)) {
                if (in == null) {
                    throw new IllegalStateException("The migration db/migrations/" + resource
                            + " is missing from the org.vigil.config bundle; the bundle is damaged.");
                }
                return split(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    static final List<Migration> ALL = List.of(
            new Migration(1, "0001-initial.sql", "configurations and their properties"),
            new Migration(2, "0002-history.sql", "schema history, index of factory configurations"),
            new Migration(3, "0003-camera-secrets.sql", "camera passwords apart from the configurations"));

    /** The newest schema this code knows. */
    public static final int LATEST = ALL.get(ALL.size() - 1).version();

    private Migrations() {
    }

    /** The migrations that bring a database at {@code version} to {@code target}, in order. */
    static List<Migration> between(int version, int target) {
        List<Migration> result = new ArrayList<>();
        for (Migration m : ALL) {
            if (m.version() > version && m.version() <= target) {
                result.add(m);
            }
        }
        return result;
    }

    /** Splits a script into statements: comments ({@code --} to the end of the line) removed, ';' ends a statement. */
    static List<String> split(String script) {
        List<String> statements = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : script.split("\n")) {
            int comment = line.indexOf("--");
            String code = (comment >= 0 ? line.substring(0, comment) : line).strip();
            if (code.isEmpty()) {
                continue;
            }
            if (current.length() > 0) {
                current.append('\n');
            }
            if (code.endsWith(";")) {
                current.append(code, 0, code.length() - 1);
                statements.add(current.toString());
                current.setLength(0);
            } else {
                current.append(code);
            }
        }
        if (!current.toString().isBlank()) {
            statements.add(current.toString());
        }
        return statements;
    }
}
