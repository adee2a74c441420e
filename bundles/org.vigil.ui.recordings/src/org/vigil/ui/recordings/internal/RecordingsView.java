package org.vigil.ui.recordings.internal;

import java.net.URL;
import java.util.Optional;

import org.eclipse.swt.widgets.Composite;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.api.storage.StorageService;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;
import org.vigil.ui.ViewContribution;

/**
 * The Recordings view: the catalogued segments page by page, filtered by camera and day; deletion of a range after a
 * confirmation that names what goes (from a dry run), with progress and cancel; protection of a selection.
 */
@Component(service = ViewContribution.class)
public final class RecordingsView implements ViewContribution {
    private final RecordingCatalog catalog;
    private final StorageService storage;

    @Activate
    public RecordingsView(@Reference RecordingCatalog catalog, @Reference StorageService storage) {
        this.catalog = catalog;
        this.storage = storage;
    }

    @Override
    public String id() {
        return "recordings";
    }

    @Override
    public String label() {
        return "Recordings";
    }

    @Override
    public Optional<URL> icon() {
        return Optional.ofNullable(RecordingsView.class.getResource("/icons/recordings.png"));
    }

    @Override
    public int order() {
        return 30;
    }

    @Override
    public View create(Composite parent, ViewContext context) {
        return new RecordingsPanel(parent, context, catalog, storage);
    }
}
