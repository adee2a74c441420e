package org.vigil.playback.internal.web;

import java.io.IOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.vigil.api.storage.Segment;
import org.vigil.media.mp4.VideoRangeException;
import org.vigil.media.mp4.VirtualMp4;

/**
 * The videos built lately: a player asks for one URL many times (a range request per seek), and building reads the
 * structure of every segment. An entry is used again while the catalog lists the same segments for its range (same
 * ids, paths and sizes), for at most {@link #MAX_AGE_MS}; at most {@link #MAX_ENTRIES} are kept.
 */
final class VideoCache {
    static final int MAX_ENTRIES = 16;
    static final long MAX_AGE_MS = 5 * 60_000L;

    interface Builder {
        VirtualMp4 build() throws VideoRangeException, IOException;
    }

    private record Key(String camera, Instant start, Instant end) {
    }

    private record Entry(List<String> segments, VirtualMp4 video, long madeAt) {
    }

    private final Map<Key, Entry> entries = new LinkedHashMap<>(MAX_ENTRIES, 0.75f, true) {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    VirtualMp4 get(String camera, Instant start, Instant end, List<Segment> segments, Builder builder)
            throws VideoRangeException, IOException {
        Key key = new Key(camera, start, end);
        List<String> identity = segments.stream().map(s -> s.id() + ":" + s.path() + ":" + s.bytes()).toList();
        long now = System.currentTimeMillis();
        synchronized (entries) {
            Entry e = entries.get(key);
            if (e != null && e.segments.equals(identity) && now - e.madeAt < MAX_AGE_MS) {
                return e.video;
            }
        }
        VirtualMp4 video = builder.build();
        synchronized (entries) {
            entries.put(key, new Entry(identity, video, now));
        }
        return video;
    }

    int size() {
        synchronized (entries) {
            return entries.size();
        }
    }
}
