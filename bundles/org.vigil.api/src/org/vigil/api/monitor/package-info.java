/**
 * Health of a Vigil instance: readings of the host, the recordings volumes, Vigil's own process and every camera,
 * taken every few seconds by the {@link org.vigil.api.monitor.SystemMonitor}; their history (the last 24 hours at
 * one-minute resolution) and the alerts raised from them (camera offline, recording stalled, disk low or filling,
 * temperature, throttling, a leak in Vigil itself).
 * <p>
 * The monitor reads the cameras through {@link org.vigil.api.camera.CameraStatisticsSource} services and its
 * settings from the PIDs {@value org.vigil.api.monitor.MonitorSettings#PID}, {@code org.vigil.recording}
 * (recordings root) and {@code org.vigil.retention} (the free-space floor).
 */
@org.osgi.annotation.versioning.Version("1.0.0")
package org.vigil.api.monitor;
