package org.vigil.ui.internal;

import java.util.Comparator;
import java.util.Objects;
import java.util.Optional;

import org.eclipse.swt.graphics.ImageData;
import org.osgi.framework.ServiceReference;
import org.vigil.ui.ViewContribution;

/**
 * A contributed view as the workbench lists it: what it said about itself when its service appeared, and its icon
 * already decoded (off the display thread).
 */
record Contribution(ServiceReference<ViewContribution> ref, ViewContribution view, String id, String label, int order,
        Optional<ImageData> icon) {

    static final Comparator<Contribution> ORDER = Comparator.comparingInt(Contribution::order)
            .thenComparing(Contribution::label, String.CASE_INSENSITIVE_ORDER).thenComparing(Contribution::ref);

    static Contribution read(ServiceReference<ViewContribution> ref, ViewContribution view) {
        String id = Objects.requireNonNull(view.id(), "id");
        String label = Objects.requireNonNullElse(view.label(), id);
        return new Contribution(ref, view, id, label, view.order(),
                view.icon().flatMap(url -> Icons.read(url, "the icon of the view '" + id + "'")));
    }
}
