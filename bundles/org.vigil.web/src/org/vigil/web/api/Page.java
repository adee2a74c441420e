package org.vigil.web.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The paging convention of every list that can be long (a keyset, never an offset): the client asks
 * {@code ?limit=N} and then {@code ?after=CURSOR&limit=N}; the answer is {@code {"items": [...], "next": CURSOR}},
 * {@code next} null on the last page. A cursor is opaque to the client (the endpoint chooses what it encodes: a
 * time, an id).
 *
 * @since 1.1
 */
public final class Page {
    private Page() {
    }

    /** The answer: {@code items} and the cursor of the following page (null when there is none). */
    public static Map<String, Object> of(List<?> items, Object next) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("items", items);
        m.put("next", next);
        return m;
    }

    /** The {@code limit} parameter: 1 to {@code max}, {@code dflt} when absent; a sentence otherwise. */
    public static int limit(ApiRequest r, int dflt, int max) {
        return (int) r.longParam("limit", dflt, 1, max);
    }

    /** The {@code after} parameter (the previous answer's {@code next}), if given. */
    public static Optional<String> after(ApiRequest r) {
        return r.param("after");
    }
}
