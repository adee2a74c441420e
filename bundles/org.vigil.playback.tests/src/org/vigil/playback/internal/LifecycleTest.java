package org.vigil.playback.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.test.common.annotation.InjectBundleContext;
import org.osgi.test.common.annotation.InjectService;
import org.vigil.api.playback.PlaybackService;
import org.vigil.api.playback.PlaybackState;
import org.vigil.testing.Await;
import org.vigil.testing.ProcessProbe;

/** Deactivating the playback service stops every session it opened, at once, and it comes back when enabled. */
class LifecycleTest extends PlaybackTestBase {
    @InjectService(timeout = 20000)
    ServiceComponentRuntime scr;
    @InjectBundleContext
    BundleContext context;

    @Test
    void deactivationReleasesEverySession() throws Exception {
        String camera = cameraWithRun("lifecycle");
        Session a = open(camera, Library.BASE.plusMillis(500), small());
        Session b = open(List.of(camera), Library.BASE.plusMillis(5_500), small().paused());
        List<Got> got = frames(a);
        assertTrue(Await.until(WAIT, () -> !got.isEmpty() && b.status().state() == PlaybackState.PAUSED));
        int fdsOpen = ProcessProbe.openFileDescriptors();

        Bundle bundle = FrameworkUtil.getBundle(PlaybackServiceImpl.class);
        ComponentDescriptionDTO d = scr.getComponentDescriptionDTO(bundle, PlaybackServiceImpl.class.getName());
        try {
            scr.disableComponent(d).getValue();
            assertTrue(a.isReleased() && b.isReleased(), "both sessions were stopped by the deactivation");
            assertEquals(PlaybackState.CLOSED, a.status().state());
            assertTrue(ProcessProbe.openFileDescriptors() <= fdsOpen, "their files are closed");
            assertTrue(context.getServiceReference(PlaybackService.class) == null, "the service is gone");
        } finally {
            scr.enableComponent(d).getValue();
        }
        assertTrue(Await.until(WAIT, () -> context.getServiceReference(PlaybackService.class) != null));
        PlaybackServiceImpl again = (PlaybackServiceImpl) context.getService(context.getServiceReference(
                PlaybackService.class));
        Session c = again.openSession(List.of(camera), Library.BASE.plusMillis(500), small());
        sessions.add(c);
        List<Got> more = frames(c);
        assertTrue(Await.until(WAIT, () -> !more.isEmpty()), "playback works again after re-enabling");
    }
}
