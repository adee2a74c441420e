package org.vigil.ui.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.eclipse.swt.SWT;
import org.eclipse.swt.SWTException;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.vigil.api.platform.Registration;
import org.vigil.api.platform.Scheduler;
import org.vigil.ui.Branding;
import org.vigil.ui.Theme;
import org.vigil.ui.View;
import org.vigil.ui.ViewContext;

/**
 * A view on screen and the {@link ViewContext} it was given. Results of calls reach the view only through
 * {@link #deliver}, which checks on the display thread that the view is still open: a view closed while a call runs
 * never sees the late result.
 */
final class OpenView implements ViewContext {
    private static final Logger LOG = System.getLogger(OpenView.class.getName());

    private final Contribution contribution;
    private final WorkbenchWindow window;
    private final Display display;
    private final Scheduler scheduler;
    private final Composite parent;
    private final UiUpdater updater;
    private final Set<Future<?>> calls = ConcurrentHashMap.newKeySet();
    private final List<Runnable> closeActions = new CopyOnWriteArrayList<>();
    private volatile boolean open = true;
    private View view;

    OpenView(Contribution contribution, WorkbenchWindow window, Composite container, Scheduler scheduler) {
        this.contribution = contribution;
        this.window = window;
        this.display = container.getDisplay();
        this.scheduler = scheduler;
        this.parent = new Composite(container, SWT.NONE);
        this.parent.setLayout(new FillLayout());
        this.updater = new UiUpdater(display, () -> open, "the view '" + contribution.id() + "'");
    }

    /** Lets the contribution create its controls; false (and everything undone) when it failed. */
    boolean create() {
        try {
            view = contribution.view().create(parent, this);
            if (view == null) {
                throw new IllegalStateException("create() returned no view");
            }
            return true;
        } catch (RuntimeException | LinkageError e) {
            LOG.log(Level.ERROR, "The view '" + contribution.id() + "' could not be opened: " + e, e);
            close();
            return false;
        }
    }

    Contribution contribution() {
        return contribution;
    }

    Composite control() {
        return parent;
    }

    /** How many runnables the view's updates queued on the display so far. */
    long updatesPosted() {
        return updater.posted();
    }

    void setFocus() {
        if (view != null) {
            try {
                view.setFocus();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "The view ''{0}'' failed to take the focus: {1}", contribution.id(), e);
            }
        }
    }

    /** Closes the view (display thread): later results are dropped, the view and its widgets are disposed. */
    void close() {
        if (!open) {
            return;
        }
        open = false;
        for (Future<?> f : calls) {
            f.cancel(false);
        }
        calls.clear();
        for (Runnable r : closeActions) {
            try {
                r.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "A close action of the view '" + contribution.id() + "' failed: " + e, e);
            }
        }
        closeActions.clear();
        if (view != null) {
            try {
                view.dispose();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(Level.ERROR, "The view '" + contribution.id() + "' failed to dispose: " + e, e);
            }
            view = null;
        }
        if (!parent.isDisposed()) {
            parent.dispose();
        }
    }

    // --- ViewContext -----------------------------------------------------------------------------------------

    @Override
    public Display display() {
        return display;
    }

    @Override
    public Theme theme() {
        return window.theme();
    }

    @Override
    public Branding branding() {
        return window.branding().branding();
    }

    @Override
    public boolean isOpen() {
        return open;
    }

    @Override
    public <T> Future<T> run(String name, Callable<T> work, Consumer<? super T> onResult,
            Consumer<? super Throwable> onFailure) {
        calls.removeIf(Future::isDone);
        Future<T> f = scheduler.submit(contribution.id() + ": " + name, () -> {
            T value;
            try {
                value = work.call();
            } catch (Exception | Error e) {
                Throwable cause = cause(e);
                deliver(() -> onFailure.accept(cause));
                throw e;
            }
            deliver(() -> onResult.accept(value));
            return value;
        });
        if (open) {
            calls.add(f);
        } else {
            f.cancel(false);
        }
        return f;
    }

    @Override
    public <T> void apply(CompletionStage<T> stage, Consumer<? super T> onResult,
            Consumer<? super Throwable> onFailure) {
        stage.whenComplete((value, error) -> {
            if (error == null) {
                deliver(() -> onResult.accept(value));
            } else {
                Throwable cause = cause(error);
                deliver(() -> onFailure.accept(cause));
            }
        });
    }

    @Override
    public <T> Updates<T> updates(Consumer<? super T> apply) {
        return updater.slot(apply);
    }

    @Override
    public void showMessage(String message) {
        window.showMessage(message);
    }

    @Override
    public Registration onClose(Runnable action) {
        closeActions.add(action);
        return () -> closeActions.remove(action);
    }

    /** Runs {@code r} on the display thread if the view is still open then. */
    /** The failure itself: stages wrap it in (possibly nested) {@link CompletionException}s. */
    private static Throwable cause(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    private void deliver(Runnable r) {
        if (!open) {
            return;
        }
        try {
            display.asyncExec(() -> {
                if (!open) {
                    return;
                }
                try {
                    r.run();
                } catch (RuntimeException e) {
                    LOG.log(Level.ERROR, "The view '" + contribution.id() + "' failed to apply a result: " + e, e);
                }
            });
        } catch (SWTException e) {
            // the display is gone, and so is the view
        }
    }
}
