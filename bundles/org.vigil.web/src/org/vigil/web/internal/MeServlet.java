package org.vigil.web.internal;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.servlet.Servlet;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.web.api.ApiRequest;
import org.vigil.web.api.ApiServlet;
import org.vigil.web.api.Caller;
import org.vigil.web.api.WebApi;

/** {@code GET /api/me}: who the credentials belong to and what they may do (a client's first request). */
@Component(service = Servlet.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=" + WebApi.PREFIX + "/me",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class MeServlet extends ApiServlet {
    private static final long serialVersionUID = 1L;

    @Override
    protected void get(ApiRequest r) throws IOException {
        Caller c = r.caller();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("user", c.name());
        m.put("role", c.role());
        m.put("address", c.address());
        r.json(200, m);
    }
}
