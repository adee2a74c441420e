package org.vigil.ui.live.internal;

import java.net.URL;
import java.util.Optional;

import org.eclipse.swt.widgets.Composite;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.camera.CameraService;
import org.vigil.api.camera.LiveFeed;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;
import org.vigil.ui.ViewContribution;

/**
 * The Live view: a grid (1, 2x2, 3x3 or 4x4) of the configured cameras' live pictures, each tile with the camera's
 * name, state and time; a double-click shows one camera full size (from its main stream) until Escape. Pictures come
 * from {@link LiveFeed} at each tile's size and only while the view is open; a renamed camera's tile shows the new
 * name at once.
 */
@Component(service = { ViewContribution.class, ConfigurationListener.class })
public final class LiveView implements ViewContribution, ConfigurationListener {
    private final CameraService cameras;
    private final LiveFeed live;
    private final ConfigurationAdmin admin;
    private final Renames renames = new Renames();

    @Activate
    public LiveView(@Reference CameraService cameras, @Reference LiveFeed live, @Reference ConfigurationAdmin admin) {
        this.cameras = cameras;
        this.live = live;
        this.admin = admin;
    }

    @Override
    public String id() {
        return "live";
    }

    @Override
    public String label() {
        return "Live";
    }

    @Override
    public Optional<URL> icon() {
        return Optional.ofNullable(LiveView.class.getResource("/icons/live.png"));
    }

    @Override
    public int order() {
        return 10;
    }

    @Override
    public View create(Composite parent, ViewContext context) {
        return new LivePanel(parent, context, cameras, live, new CameraNames(admin), renames);
    }

    /** A camera renamed in the Cameras view (or anywhere) shows its new name at once. */
    @Override
    public void configurationEvent(ConfigurationEvent event) {
        renames.configurationEvent(event);
    }
}
