package org.vigil.ui;

import java.net.URL;
import java.util.Optional;

import org.eclipse.swt.widgets.Composite;
import org.osgi.annotation.versioning.ConsumerType;

/**
 * A view of the workbench (live grid, playback, cameras, ...), contributed as a DS service. The workbench lists every
 * contribution in its navigation, sorted by {@link #order()} then {@link #label()}; when the user picks one it calls
 * {@link #create} on the display thread, and when the user picks another, the service goes away or the window
 * closes, it calls {@link View#dispose()} and disposes the parent. Only the view on screen exists, so a hidden view
 * never decodes video or polls services.
 * <p>
 * A contribution registered or unregistered at run time (a bundle dropped into or taken out of {@code plugins/})
 * appears in or disappears from the navigation at once; an open view of a contribution that goes away is closed and
 * disposed before the unregistration returns (bounded).
 */
@ConsumerType
public interface ViewContribution {
    /** A short, stable, lower-case id ({@code live}, {@code cameras}); the workbench remembers the last view by it. */
    String id();

    /** The name shown in the navigation, for a user ("Cameras"). */
    String label();

    /** A PNG of about 24x24 pixels shown beside the label; read once when the service appears. */
    default Optional<URL> icon() {
        return Optional.empty();
    }

    /** Place in the navigation: smaller first. Live is 10, Playback 20, Recordings 30, Backup 40, Cameras 50. */
    default int order() {
        return 100;
    }

    /**
     * Creates the view's controls in {@code parent} (which has a {@code FillLayout}; set another if needed). Runs on
     * the display thread and must return quickly: start service calls with {@link ViewContext#run}.
     *
     * @return the open view; the workbench calls its {@link View#dispose()} when it closes
     */
    View create(Composite parent, ViewContext context);
}
