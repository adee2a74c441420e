package org.vigil.api.storage;

import java.util.Set;

/** Segments were added to, removed from or changed in the catalog. */
public record CatalogChange(Set<String> cameras, long added, long removed, long changed) {
    public CatalogChange {
        cameras = Set.copyOf(cameras);
    }
}
