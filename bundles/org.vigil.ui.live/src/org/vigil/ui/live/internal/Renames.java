package org.vigil.ui.live.internal;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.osgi.service.cm.ConfigurationEvent;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.platform.Registration;

/**
 * Tells the open Live views that a camera's configuration changed (a new name changes no camera status). Fed by
 * Configuration Admin's events on its own thread; the views only post an update there.
 */
final class Renames {
    private final List<Runnable> views = new CopyOnWriteArrayList<>();

    Registration add(Runnable changed) {
        views.add(changed);
        return () -> views.remove(changed);
    }

    void configurationEvent(ConfigurationEvent event) {
        if (CameraSettings.FACTORY_PID.equals(event.getFactoryPid())) {
            for (Runnable r : views) {
                r.run();
            }
        }
    }
}
