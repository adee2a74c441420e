package org.vigil.web.internal;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.users.AuditEntry;
import org.vigil.api.users.AuditLog;
import org.vigil.api.users.Role;
import org.vigil.api.users.UsersException;
import org.vigil.web.api.ApiException;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.Page;
import org.vigil.web.api.WebApi;

/**
 * {@code GET /api/audit?since=TIME&limit=N} (admins): the audit log's entries from {@code since} on, oldest first,
 * like {@code vigil audit}. {@code next} is the time to ask from for the following page (null when this one was
 * the last); entries of that very millisecond may come again, their {@code id} tells them apart.
 */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/audit",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class AuditServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;
    static final int MAX_LIMIT = 10_000;

    private final transient AuditLog audit;

    @Activate
    public AuditServlet(@Reference AuditLog audit) {
        this.audit = audit;
    }

    @Override
    protected void get(ApiRequest r) throws IOException {
        r.caller().require(Role.ADMIN);
        Instant since = r.instantParam("since").orElse(Instant.EPOCH);
        int limit = Page.limit(r, 100, MAX_LIMIT);
        List<AuditEntry> entries;
        try {
            entries = audit.since(since, limit);
        } catch (UsersException e) {
            throw new ApiException(503, "The recorder cannot read its audit log right now; its log says why.");
        }
        List<Object> items = new ArrayList<>();
        for (AuditEntry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.id());
            m.put("time", e.time());
            m.put("actor", e.actor());
            m.put("from", e.from());
            m.put("action", e.action());
            m.put("target", e.target());
            m.put("detail", e.detail());
            items.add(m);
        }
        r.json(200, Page.of(items, entries.size() < limit ? null : entries.get(entries.size() - 1).time()));
    }
}
