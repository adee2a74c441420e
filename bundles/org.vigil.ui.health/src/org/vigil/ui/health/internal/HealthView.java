package org.vigil.ui.health.internal;

import java.net.URL;
import java.util.Optional;

import org.eclipse.swt.widgets.Composite;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.monitor.SystemMonitor;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;
import org.vigil.ui.ViewContribution;

/**
 * The Health view: the system monitor's readings (host, disks, process, cameras), charts of the last hours from its
 * history and the alerts, updated live.
 */
@Component(service = ViewContribution.class)
public final class HealthView implements ViewContribution {
    private final SystemMonitor monitor;

    @Activate
    public HealthView(@Reference SystemMonitor monitor) {
        this.monitor = monitor;
    }

    @Override
    public String id() {
        return "health";
    }

    @Override
    public String label() {
        return "Health";
    }

    @Override
    public Optional<URL> icon() {
        return Optional.ofNullable(HealthView.class.getResource("/icons/health.png"));
    }

    @Override
    public int order() {
        return 60;
    }

    @Override
    public View create(Composite parent, ViewContext context) {
        return new HealthPanel(parent, context, monitor);
    }
}
