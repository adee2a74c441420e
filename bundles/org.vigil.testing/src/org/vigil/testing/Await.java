package org.vigil.testing;

import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Waits for a condition or a result instead of sleeping a fixed time: the one wait-until helper of the test bundles.
 * Each wait has a deadline; a condition that does not hold by then fails the test naming what it waited for.
 */
public final class Await {
    private static final Duration POLL = Duration.ofMillis(5);

    private Await() {
    }

    /** Polls {@code condition} every few milliseconds until it holds or {@code timeout} passed; its last value. */
    public static boolean until(Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(5);
        }
        return condition.getAsBoolean();
    }

    /**
     * Polls {@code condition} every few milliseconds until it holds; fails the test with "Timed out waiting until
     * {@code what}." when it still does not after {@code timeout}.
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) {
        until(what, timeout, POLL, condition);
    }

    /**
     * Like {@link #until(String, Duration, BooleanSupplier)}, polling every {@code poll}: longer for a condition that
     * is costly to evaluate (one that runs on the display thread).
     */
    public static void until(String what, Duration timeout, Duration poll, BooleanSupplier condition) {
        value(what, timeout, poll, () -> condition.getAsBoolean() ? Boolean.TRUE : null);
    }

    /**
     * Polls {@code supplier} until it gives a value (not null) and returns it; fails the test with "Timed out waiting
     * until {@code what}." when it gives none within {@code timeout}.
     */
    public static <T> T value(String what, Duration timeout, Supplier<T> supplier) {
        return value(what, timeout, POLL, supplier);
    }

    private static <T> T value(String what, Duration timeout, Duration poll, Supplier<T> supplier) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            T value = supplier.get();
            if (value != null) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out waiting until " + what + " (" + timeout.toMillis() + " ms).");
            }
            try {
                Thread.sleep(poll.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("Interrupted waiting until " + what + ".", e);
            }
        }
    }

    /** The stage's value, failing the test with the stage's own exception or a timeout. */
    public static <T> T result(CompletionStage<T> stage, Duration timeout) throws Exception {
        try {
            return stage.toCompletableFuture().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception x) {
                throw x;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new AssertionError("no result within " + timeout.toMillis() + " ms");
        }
    }
}
