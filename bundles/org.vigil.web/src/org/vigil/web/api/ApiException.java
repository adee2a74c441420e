package org.vigil.web.api;

/**
 * An answer that is not a success: an HTTP status and one sentence saying what is wrong and what to do. Thrown by
 * an endpoint and written by {@link ApiServlet} as {@code {"error": "...", "status": N}}.
 */
public class ApiException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;

    public ApiException(int status, String sentence) {
        super(sentence, null, false, false);
        this.status = status;
    }

    public int status() {
        return status;
    }

    /** 400: the request is malformed or a value is invalid. */
    public static ApiException badRequest(String sentence) {
        return new ApiException(400, sentence);
    }

    /** 404: what the request names does not exist. */
    public static ApiException notFound(String sentence) {
        return new ApiException(404, sentence);
    }

    /** 409: the request conflicts with the current state. */
    public static ApiException conflict(String sentence) {
        return new ApiException(409, sentence);
    }

    /** 405: the path exists but not with this method. */
    public static ApiException methodNotAllowed(String method, String path) {
        return new ApiException(405, path + " does not answer " + method + ".");
    }
}
