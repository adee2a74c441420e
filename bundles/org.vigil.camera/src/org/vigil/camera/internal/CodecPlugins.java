package org.vigil.camera.internal;

import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.camera.Codec;
import org.vigil.api.codec.CodecPlugin;
import org.vigil.api.platform.Registration;

/**
 * The codec plugins installed now (whiteboard of {@link CodecPlugin} services), for every camera of this bundle.
 * Among several plugins for one codec the highest service ranking wins. Cameras watch it to stop when their plugin
 * goes away and to resume when one comes back.
 */
@Component(service = CodecPlugins.class)
public final class CodecPlugins {
    private record Entry(CodecPlugin plugin, int ranking, long serviceId) {
    }

    private final List<Entry> plugins = new CopyOnWriteArrayList<>();
    private final List<Runnable> watchers = new CopyOnWriteArrayList<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addPlugin(CodecPlugin plugin, Map<String, Object> properties) {
        plugins.add(new Entry(plugin, ranking(properties), serviceId(properties)));
        changed();
    }

    void removePlugin(CodecPlugin plugin) {
        plugins.removeIf(e -> e.plugin() == plugin);
        changed();
    }

    /** The plugin for {@code codec} (not {@code AUTO}). */
    public Optional<CodecPlugin> forCodec(Codec codec) {
        return best(e -> e.plugin().codec() == codec);
    }

    /** The plugin for streams whose RTP encoding name is {@code encodingName} ({@code H264}, {@code JPEG}...). */
    public Optional<CodecPlugin> forEncoding(String encodingName) {
        return best(e -> e.plugin().rtpEncodingName().equalsIgnoreCase(encodingName));
    }

    /** Whether {@code plugin} is still registered. */
    public boolean isInstalled(CodecPlugin plugin) {
        return plugins.stream().anyMatch(e -> e.plugin() == plugin);
    }

    /** Calls {@code onChange} (on the thread that changed the plugins: hand it over) after every change. */
    public Registration watch(Runnable onChange) {
        watchers.add(onChange);
        return () -> watchers.remove(onChange);
    }

    private Optional<CodecPlugin> best(java.util.function.Predicate<Entry> filter) {
        return plugins.stream().filter(filter)
                .max(Comparator.comparingInt(Entry::ranking).thenComparing(Comparator.comparingLong(Entry::serviceId)
                        .reversed()))
                .map(Entry::plugin);
    }

    private void changed() {
        for (Runnable w : watchers) {
            w.run();
        }
    }

    @Deactivate
    void deactivate() {
        watchers.clear();
        plugins.clear();
    }

    private static int ranking(Map<String, Object> p) {
        return p.get(Constants.SERVICE_RANKING) instanceof Integer i ? i : 0;
    }

    private static long serviceId(Map<String, Object> p) {
        return p.get(Constants.SERVICE_ID) instanceof Long l ? l : 0L;
    }
}
