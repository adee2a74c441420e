package org.vigil.storage.internal;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.function.Function;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.storage.CameraLimits;
import org.vigil.api.storage.Retention;

/**
 * The retention preview for {@code vigil config set retention.*}, which lives in the config bundle: that bundle does
 * not import the storage API, so the preview is offered under a plain {@link Function} with the service property
 * {@value #PROPERTY}{@code =}{@value #VALUE}. Argument: the retention settings as they would be
 * ({@code maxAgeDays}, {@code maxBytesPerCamera}; numbers, missing or 0 for no limit). Answer:
 * {@link RetentionPreview#data()} ({@code large}, {@code cameras}, {@code lines}: one sentence per camera).
 */
@Component(service = Function.class, property = RetentionPreviewService.PROPERTY + "="
        + RetentionPreviewService.VALUE)
public final class RetentionPreviewService implements Function<Map<String, Object>, Map<String, Object>> {
    public static final String PROPERTY = "vigil.preview";
    public static final String VALUE = "retention";
    /** The filter a consumer uses to find this service. */
    public static final String FILTER = "(" + PROPERTY + "=" + VALUE + ")";

    private final RecordingStore store;

    @Activate
    public RetentionPreviewService(@Reference Retention retention) {
        this.store = (RecordingStore) retention; // the catalog of this bundle's own store
    }

    @Override
    public Map<String, Object> apply(Map<String, Object> settings) {
        long days = number(settings.get("maxAgeDays"));
        long bytes = number(settings.get("maxBytesPerCamera"));
        CameraLimits defaults = new CameraLimits(days > 0 ? Optional.of(Duration.ofDays(days)) : Optional.empty(),
                bytes > 0 ? OptionalLong.of(bytes) : OptionalLong.empty());
        return store.previewDefaultLimits(defaults).data();
    }

    private static long number(Object v) {
        if (v instanceof Number n) {
            return n.longValue();
        }
        if (v instanceof String s && !s.isBlank()) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
