package org.vigil.api.camera;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Reports the statistics of the cameras a recorder runs; the camera recorder registers it as a service and the
 * system monitor reads it every few seconds (several sources may exist; each reports its own cameras).
 * <p>
 * {@link #statistics()} is called on a thread of the shared scheduler: it must return at once from values the
 * recorder already keeps (counters, timestamps), without waiting for a lock a pipeline may hold, without I/O and
 * without asking GStreamer anything.
 */
@ConsumerType
@FunctionalInterface
public interface CameraStatisticsSource {
    /** One entry per configured camera, disabled ones included (state {@link CameraState#DISABLED}). */
    List<CameraStatistics> statistics();
}
