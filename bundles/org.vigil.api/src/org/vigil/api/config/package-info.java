/**
 * Vigil's settings: typed views of every configuration (component property types), their PIDs, and the service that
 * validates and saves them.
 * <p>
 * Every setting lives in Configuration Admin, persisted in {@code config.db} of the data directory. A component
 * reads its settings with a component property type of this package, for example
 * <pre>
 * &#64;Component(configurationPid = CameraSettings.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE)
 * public final class CameraSupervisor {
 *     &#64;Activate
 *     public CameraSupervisor(CameraSettings settings, ...) { CameraConfig c = CameraProperties.toConfig(settings); ... }
 *     &#64;Modified
 *     void modified(CameraSettings settings) { ... }
 * }
 * </pre>
 * A camera is a factory configuration of {@link org.vigil.api.config.CameraSettings#FACTORY_PID}, named by the
 * camera id ({@code org.vigil.camera~front}). Change settings through {@link org.vigil.api.config.SettingsService},
 * which validates them and writes only what changed. Code that uses {@code ConfigurationAdmin} directly must create
 * configurations with the location {@link org.vigil.api.config.SettingsService#LOCATION} ({@code "?"}), never with
 * the one- or two-argument {@code getConfiguration}, which would bind a setting to the calling bundle only.
 */
@org.osgi.annotation.versioning.Version("1.2.0")
package org.vigil.api.config;
