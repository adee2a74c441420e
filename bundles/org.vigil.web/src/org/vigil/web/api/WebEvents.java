package org.vigil.web.api;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The recorder's event stream ({@code GET /api/events}, server-sent events). Owner bundles publish what clients
 * should learn without polling: camera state changes ({@code camera.state}), alerts ({@code alert}), job progress
 * ({@code job.progress}, {@code job.done}) and new segments ({@code segment.new}).
 */
@ProviderType
public interface WebEvents {
    /**
     * Sends an event of {@code type} with {@code data} (written as JSON by the rules of
     * {@code org.vigil.api.command.JsonOutput}: maps, lists, records as maps) to every connected client whose role
     * may see {@code type}. Never blocks on a slow client: a client that cannot keep up is disconnected.
     */
    void publish(String type, Object data);
}
