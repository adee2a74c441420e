package org.vigil.api.command;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A part of {@code vigil status}: bundles contribute what they know (cameras, disk, host, alerts) as services.
 * The command prints each section's lines, puts its data under its name in {@code --json} output, and exits 1 when
 * any section is alerting, so that cron or a monitoring system can act on it.
 */
@ConsumerType
public interface StatusSection {
    /** Service property ordering sections (smaller first). */
    String ORDER_PROPERTY = "status.order";

    /** Short lower-case name, the key in JSON output ("cameras", "disk", "alerts"). */
    String name();

    /** Human-readable lines, already formatted; the first is a heading. */
    List<String> lines();

    /** Machine-readable data for {@code --json}: strings, numbers, booleans, lists and maps of those. */
    Map<String, Object> data();

    /** True when something needs a person's attention. */
    default boolean alerting() {
        return false;
    }
}
