package org.vigil.api.storage;

import java.util.Optional;

/**
 * Where the next page of a segment listing starts: the sort key {@code (start, id)} of the last segment of the
 * page before (keyset pagination: stable while segments are added or deleted, no offset).
 */
public record PageCursor(long startMillis, long id) {

    public static PageCursor after(Segment last) {
        return new PageCursor(last.start().toEpochMilli(), last.id());
    }

    /** The cursor as a short token for command lines and JSON ({@code 1764151200000.42}). */
    public String token() {
        return startMillis + "." + id;
    }

    public static Optional<PageCursor> parse(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        try {
            return Optional.of(new PageCursor(Long.parseLong(token.substring(0, dot).trim()),
                    Long.parseLong(token.substring(dot + 1).trim())));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
