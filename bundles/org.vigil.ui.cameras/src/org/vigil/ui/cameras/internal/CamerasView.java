package org.vigil.ui.cameras.internal;

import java.net.URL;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArraySet;

import org.eclipse.swt.widgets.Composite;
import org.osgi.service.cm.ConfigurationEvent;
import org.osgi.service.cm.ConfigurationListener;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.vigil.api.camera.CameraService;
import org.vigil.api.config.CameraSettings;
import org.vigil.api.config.SettingsService;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;
import org.vigil.ui.ViewContribution;

/**
 * The Cameras view: the configured cameras (factory configurations of {@link CameraSettings#FACTORY_PID}), and a
 * form to add, edit and remove them. Every change goes through {@link SettingsService}, as {@code vigil camera
 * add|set|remove} does, and a refused one shows the service's sentence. A camera changed elsewhere ({@code vigil camera set ...}) shows at once: the
 * component listens to Configuration Admin's events and tells the open view. The camera recorder, when it runs,
 * tests a camera's connection from the form.
 */
@Component(service = { ViewContribution.class, ConfigurationListener.class })
public final class CamerasView implements ViewContribution, ConfigurationListener {
    private final CameraStore store;
    private final Set<CamerasPanel> open = new CopyOnWriteArraySet<>();

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile CameraService cameras;

    @Activate
    public CamerasView(@Reference SettingsService settings) {
        this.store = new CameraStore(settings);
    }

    @Override
    public String id() {
        return "cameras";
    }

    @Override
    public String label() {
        return "Cameras";
    }

    @Override
    public Optional<URL> icon() {
        return Optional.ofNullable(CamerasView.class.getResource("/icons/cameras.png"));
    }

    @Override
    public int order() {
        return 50;
    }

    @Override
    public View create(Composite parent, ViewContext context) {
        CamerasPanel panel = new CamerasPanel(parent, context, store, () -> Optional.ofNullable(cameras));
        open.add(panel);
        context.onClose(() -> open.remove(panel));
        return panel;
    }

    @Override
    public void configurationEvent(ConfigurationEvent event) {
        if (CameraSettings.FACTORY_PID.equals(event.getFactoryPid())) {
            open.forEach(CamerasPanel::camerasChanged);
        }
    }
}
