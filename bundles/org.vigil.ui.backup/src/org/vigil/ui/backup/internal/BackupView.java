package org.vigil.ui.backup.internal;

import java.net.URL;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.eclipse.swt.widgets.Composite;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.backup.BackupReport;
import org.vigil.api.backup.BackupService;
import org.vigil.api.job.Job;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;
import org.vigil.ui.ViewContribution;

/**
 * The Backup view: choose cameras, a time range and a destination folder, see the backup's size against the
 * destination's free space, start it, follow its progress, cancel it and read its summary. The backup runs as a job
 * of the backup service; it goes on when the view is closed, and the view shows it again when it is reopened.
 */
@Component(service = ViewContribution.class)
public final class BackupView implements ViewContribution {
    private final BackupService backups;
    private final RecordingCatalog catalog;
    /** The backup started from this view last; outlives the open view. */
    private final AtomicReference<Job<BackupReport>> last = new AtomicReference<>();

    @Activate
    public BackupView(@Reference BackupService backups, @Reference RecordingCatalog catalog) {
        this.backups = backups;
        this.catalog = catalog;
    }

    @Override
    public String id() {
        return "backup";
    }

    @Override
    public String label() {
        return "Backup";
    }

    @Override
    public Optional<URL> icon() {
        return Optional.ofNullable(BackupView.class.getResource("/icons/backup.png"));
    }

    @Override
    public int order() {
        return 40;
    }

    @Override
    public View create(Composite parent, ViewContext context) {
        return new BackupPanel(parent, context, backups, catalog, last);
    }
}
