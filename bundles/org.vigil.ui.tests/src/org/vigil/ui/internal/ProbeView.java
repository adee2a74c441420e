package org.vigil.ui.internal;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;
import org.vigil.ui.ViewContribution;

/** A view contributed by a test, as another bundle would: it counts what the workbench does with it. */
final class ProbeView implements ViewContribution {
    final String id;
    final String label;
    final int order;
    final AtomicInteger created = new AtomicInteger();
    final AtomicInteger disposed = new AtomicInteger();
    volatile Thread createdOn;
    volatile ViewContext context;
    volatile Composite parent;
    volatile Consumer<ViewContext> onCreate = c -> { };

    ProbeView(String id, String label, int order) {
        this.id = id;
        this.label = label;
        this.order = order;
    }

    ServiceRegistration<ViewContribution> register(BundleContext bundleContext) {
        return bundleContext.registerService(ViewContribution.class, this, null);
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String label() {
        return label;
    }

    @Override
    public int order() {
        return order;
    }

    @Override
    public View create(Composite parent, ViewContext context) {
        created.incrementAndGet();
        createdOn = Thread.currentThread();
        this.context = context;
        this.parent = parent;
        new Label(parent, SWT.NONE).setText("Probe view " + id);
        onCreate.accept(context);
        return disposed::incrementAndGet;
    }
}
