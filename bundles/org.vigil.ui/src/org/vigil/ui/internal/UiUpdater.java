package org.vigil.ui.internal;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import org.eclipse.swt.SWTException;
import org.eclipse.swt.widgets.Display;
import org.vigil.ui.ViewContext;

/**
 * Newest-value slots sharing one pending {@code asyncExec}: however fast values are posted from other threads, at
 * most one runnable waits in the display's queue for the owner (a view, the status bar), and it applies only the
 * newest value of each slot (docs/SWT.md: one asyncExec per frame built a backlog of 183 frames).
 */
final class UiUpdater {
    private static final Logger LOG = System.getLogger(UiUpdater.class.getName());

    private final Display display;
    private final BooleanSupplier open;
    private final String owner;
    private final AtomicBoolean pending = new AtomicBoolean();
    private final Set<Slot<?>> dirty = ConcurrentHashMap.newKeySet();
    private final AtomicLong posted = new AtomicLong();

    UiUpdater(Display display, BooleanSupplier open, String owner) {
        this.display = display;
        this.open = open;
        this.owner = owner;
    }

    <T> ViewContext.Updates<T> slot(Consumer<? super T> apply) {
        return new Slot<>(apply);
    }

    /** How many runnables were queued with {@code asyncExec} so far (tests). */
    long posted() {
        return posted.get();
    }

    private void schedule() {
        if (!pending.compareAndSet(false, true)) {
            return;
        }
        try {
            posted.incrementAndGet();
            display.asyncExec(this::drain);
        } catch (SWTException e) {
            // the display is gone: nothing to update any more
        }
    }

    private void drain() {
        pending.set(false);
        for (Slot<?> s : dirty) {
            dirty.remove(s);
            if (open.getAsBoolean()) {
                s.apply();
            }
        }
    }

    private final class Slot<T> implements ViewContext.Updates<T> {
        private final AtomicReference<T> newest = new AtomicReference<>();
        private final Consumer<? super T> apply;

        Slot(Consumer<? super T> apply) {
            this.apply = apply;
        }

        @Override
        public void post(T value) {
            if (value == null || !open.getAsBoolean()) {
                return;
            }
            newest.set(value);
            dirty.add(this);
            schedule();
        }

        void apply() {
            T value = newest.getAndSet(null);
            if (value == null) {
                return;
            }
            try {
                apply.accept(value);
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "An update of " + owner + " failed: " + e, e);
            }
        }
    }
}
