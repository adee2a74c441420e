package org.vigil.ui;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Future;
import java.util.function.Consumer;

import org.eclipse.swt.widgets.Display;
import org.osgi.annotation.versioning.ProviderType;
import org.vigil.api.platform.Registration;

/**
 * What the workbench gives an open view: the display, the theme, and the means to call services without blocking
 * the display thread. One context per open view; it closes with the view, after which late results are dropped.
 */
@ProviderType
public interface ViewContext {
    /** The workbench's display. */
    Display display();

    /** Colours and fonts of the product; owned by the workbench, never dispose them. */
    Theme theme();

    /** The product's branding (name, about text). */
    Branding branding();

    /** True until the view is closed. Checked on the display thread before any result is applied. */
    boolean isOpen();

    /**
     * Runs {@code work} on the shared scheduler and applies its outcome on the display thread: {@code onResult} with
     * the value, or {@code onFailure} with the exception (a {@link java.util.concurrent.CompletionException}
     * unwrapped). Nothing is applied once the view is closed; closing it also cancels the call if it has not started.
     *
     * @param name what the call does, for thread names and logs ("list cameras")
     * @return the running call, to cancel it when a newer request replaces it
     */
    <T> Future<T> run(String name, Callable<T> work, Consumer<? super T> onResult,
            Consumer<? super Throwable> onFailure);

    /**
     * Applies the outcome of something already running (a job's {@link org.vigil.api.job.Job#result()}) on the
     * display thread, unless the view is closed by then. {@code onFailure} gets the cause itself, never the
     * {@link java.util.concurrent.CompletionException} around it (as with {@link #run}).
     */
    <T> void apply(CompletionStage<T> stage, Consumer<? super T> onResult, Consumer<? super Throwable> onFailure);

    /**
     * A sink for frequent updates (progress, readings, frames) posted from any thread. Only the newest value is kept
     * and at most one {@code asyncExec} is pending for the whole view at any time, however fast values arrive.
     *
     * @param apply runs on the display thread with the newest value, only while the view is open
     */
    <T> Updates<T> updates(Consumer<? super T> apply);

    /** Shows a short message for the user in the status bar ("Camera 'front' saved."). Any thread. */
    void showMessage(String message);

    /** Runs {@code action} on the display thread when the view closes (before {@link View#dispose()}). */
    Registration onClose(Runnable action);

    /** Newest-value sink of {@link ViewContext#updates}. */
    @ProviderType
    interface Updates<T> {
        /** Offers a value from any thread; an older value not yet applied is replaced. */
        void post(T value);
    }
}
