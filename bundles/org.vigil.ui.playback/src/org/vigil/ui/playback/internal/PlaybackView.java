package org.vigil.ui.playback.internal;

import java.net.URL;
import java.util.Optional;

import org.eclipse.swt.widgets.Composite;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.vigil.api.platform.Scheduler;
import org.vigil.api.playback.PlaybackService;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;
import org.vigil.ui.ViewContribution;

/**
 * The Playback view: up to four cameras played in step through one {@link PlaybackService} session, a calendar of the
 * days with recordings, a 24-hour timeline of recorded spans and gaps, play/pause, speed, frame step, snapshot and
 * export of a range.
 */
@Component(service = ViewContribution.class)
public final class PlaybackView implements ViewContribution {
    private final PlaybackService playback;
    private final RecordingCatalog catalog;
    private final Scheduler scheduler;

    @Activate
    public PlaybackView(@Reference PlaybackService playback, @Reference RecordingCatalog catalog,
            @Reference Scheduler scheduler) {
        this.playback = playback;
        this.catalog = catalog;
        this.scheduler = scheduler;
    }

    @Override
    public String id() {
        return "playback";
    }

    @Override
    public String label() {
        return "Playback";
    }

    @Override
    public Optional<URL> icon() {
        return Optional.ofNullable(PlaybackView.class.getResource("/icons/playback.png"));
    }

    @Override
    public int order() {
        return 20;
    }

    @Override
    public View create(Composite parent, ViewContext context) {
        return new PlaybackPanel(parent, context, playback, catalog, scheduler);
    }
}
