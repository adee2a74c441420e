package org.vigil.api.storage;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param next where the following page starts; empty on the last page
 */
public record Page<T>(List<T> items, Optional<PageCursor> next) {
    public Page {
        items = List.copyOf(items);
    }
}
