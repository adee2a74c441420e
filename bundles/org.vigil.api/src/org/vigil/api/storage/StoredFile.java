package org.vigil.api.storage;

import java.time.Instant;

/** What a storage plugin knows about one entry without reading it. */
public record StoredFile(boolean directory, long size, Instant modified) {
}
