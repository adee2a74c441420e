package org.vigil.playback.internal.web;

import java.io.IOException;

import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.http.HttpServletRequest;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.HttpWhiteboardConstants;
import org.vigil.api.storage.RecordingCatalog;
import org.vigil.web.api.WebApi;

/**
 * Registers recorded video in the recorder's HTTP API: {@code /api/cameras/{id}/video.mp4} and
 * {@code /api/recordings/{segmentId}/file}, answered by {@link VideoServlet}.
 * <p>
 * A whiteboard <em>filter</em>, not a servlet: a servlet pattern cannot have a wildcard in the middle, and
 * {@code /api/cameras/*} and {@code /api/recordings/*} belong to the configuration's and the storage's servlets. The
 * filter sees every request under those prefixes after the recorder's context authenticated it, answers the two
 * paths above itself and passes everything else on unchanged. Stopping the playback bundle removes the filter and
 * with it these endpoints.
 */
@Component(service = Filter.class, property = {
        HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=" + WebApi.PREFIX + "/cameras/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_PATTERN + "=" + WebApi.PREFIX + "/recordings/*",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_FILTER_NAME + "=vigil.playback.video",
        HttpWhiteboardConstants.HTTP_WHITEBOARD_CONTEXT_SELECT + "=" + WebApi.CONTEXT_SELECT })
public final class VideoFilter implements Filter {
    private final VideoServlet servlet;

    @Activate
    public VideoFilter(@Reference RecordingCatalog catalog) {
        this.servlet = new VideoServlet(catalog);
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && VideoServlet.takes(path(http))) {
            servlet.service(request, response);
            return;
        }
        chain.doFilter(request, response);
    }

    private static String path(HttpServletRequest r) {
        String s = r.getServletPath() == null ? "" : r.getServletPath();
        String p = r.getPathInfo() == null ? "" : r.getPathInfo();
        return s + p;
    }
}
