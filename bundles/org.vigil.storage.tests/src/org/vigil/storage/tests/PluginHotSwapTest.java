package org.vigil.storage.tests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Hashtable;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.camera.Codec;
import org.vigil.api.codec.Container;
import org.vigil.api.storage.ClosedSegment;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.SegmentListener;
import org.vigil.api.storage.SegmentQuery;
import org.vigil.api.storage.SegmentReservation;
import org.vigil.api.storage.StoragePlugin;
import org.vigil.api.storage.StorageService;
import org.vigil.api.storage.StorageState;
import org.vigil.api.storage.StorageUnavailableException;
import org.vigil.storage.internal.RecordingStore;
import org.vigil.storage.internal.disk.LocalDiskPlugin;
import org.vigil.testing.Await;

/**
 * Hot swap of the storage plugin in the running framework: the storage service (the consumer) pauses recording while
 * no plugin is there, keeps the segments announced meanwhile, and recovers with whichever plugin comes next.
 */
class PluginHotSwapTest {
    @InjectService(timeout = 10000)
    StorageService storage;
    @InjectService(timeout = 10000)
    RecordingCatalog catalog;
    @InjectService(timeout = 10000)
    SegmentListener listener;
    @InjectService(timeout = 10000)
    ServiceComponentRuntime scr;
    @InjectBundleContext
    BundleContext context;

    private ServiceRegistration<StoragePlugin> register(StoragePlugin plugin, int ranking) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(StoragePlugin.PROPERTY, "file");
        props.put(Constants.SERVICE_RANKING, ranking);
        return context.registerService(StoragePlugin.class, plugin, props);
    }

    private int catalogued(String camera, Instant from) {
        return catalog.segments(SegmentQuery.of(camera, from, from.plusSeconds(3600))).items().size();
    }

    @Test
    void replacingThePluginPausesAndResumesRecordingWithoutLosingASegment() throws Exception {
        assertTrue(Await.until(Duration.ofSeconds(20), () -> storage.status().canRecord()), storage.status().toString());
        Bundle host = FrameworkUtil.getBundle(RecordingStore.class);
        ComponentDescriptionDTO local = scr.getComponentDescriptionDTO(host, LocalDiskPlugin.class.getName());
        String camera = TestDirs.camera("hotswap");
        Instant t0 = Instant.now().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.SECONDS);
        DelegatingPlugin a = new DelegatingPlugin();
        DelegatingPlugin b = new DelegatingPlugin();
        ServiceRegistration<StoragePlugin> regA = register(a, 100);
        ServiceRegistration<StoragePlugin> regB = null;
        try {
            SegmentReservation r1 = storage.reserveSegment(camera, t0, Container.MP4);
            Files.copy(Media.get(Media.FRAGMENTED), r1.path());
            listener.segmentClosed(new ClosedSegment(camera, r1.path(), t0, t0.plusSeconds(4), 100,
                    Files.size(r1.path()), Codec.H264));
            assertTrue(Await.until(Duration.ofSeconds(10), () -> catalogued(camera, t0) == 1));
            assertTrue(a.syncs.get() > 0, "the plugin with the highest ranking is used");

            // a recorder is writing its next segment when the plugin goes away
            SegmentReservation r2 = storage.reserveSegment(camera, t0.plusSeconds(4), Container.MP4);
            scr.disableComponent(local).getValue();
            regA.unregister();
            regA = null;
            assertTrue(Await.until(Duration.ofSeconds(10), () -> storage.status().state() == StorageState.NO_PLUGIN),
                    storage.status().toString());
            StorageUnavailableException paused = assertThrows(StorageUnavailableException.class,
                    () -> storage.reserveSegment(camera, t0.plusSeconds(8), Container.MP4));
            assertEquals(StorageState.NO_PLUGIN, paused.state());
            assertFalse(storage.checkWrite(camera).allowed());
            Files.copy(Media.get(Media.FRAGMENTED), r2.path());
            listener.segmentClosed(new ClosedSegment(camera, r2.path(), t0.plusSeconds(4), t0.plusSeconds(8), 100,
                    Files.size(r2.path()), Codec.H264));

            // the replacement arrives: recording resumes and the segment closed meanwhile is catalogued
            regB = register(b, 50);
            assertTrue(Await.until(Duration.ofSeconds(10), () -> catalogued(camera, t0) == 2));
            assertTrue(b.syncs.get() > 0);
            assertTrue(Await.until(Duration.ofSeconds(10), () -> storage.status().canRecord()));
            storage.reserveSegment(camera, t0.plusSeconds(8), Container.MP4);

            // the original comes back and the replacement leaves: nothing changes for recorders
            scr.enableComponent(local).getValue();
            regB.unregister();
            regB = null;
            assertTrue(Await.until(Duration.ofSeconds(10), () -> storage.status().canRecord()));
            storage.reserveSegment(camera, t0.plusSeconds(12), Container.MP4);
        } finally {
            scr.enableComponent(local).getValue();
            if (regA != null) {
                regA.unregister();
            }
            if (regB != null) {
                regB.unregister();
            }
        }
    }
}
