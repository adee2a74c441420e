package org.vigil.ui.live.internal;

import java.net.URL;
import java.util.Optional;

import org.eclipse.swt.widgets.Composite;
import org.osgi.service.cm.ConfigurationAdmin;
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
 * name, state and time; a double-click shows one camera full size until Escape. Pictures come from {@link LiveFeed}
 * at each tile's size and only while the view is open.
 */
@Component(service = ViewContribution.class)
public final class LiveView implements ViewContribution {
    private final CameraService cameras;
    private final LiveFeed live;
    private final ConfigurationAdmin admin;

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
        return new LivePanel(parent, context, cameras, live, new CameraNames(admin));
    }
}
