package dev.rig.digitalocean;

/**
 * A DigitalOcean API call that failed, named by the request that caused it. {@code status} is
 * the HTTP status (0 when no answer came), {@code errorId} and the message are the API's own
 * {@code {"id","message"}} when it sent them.
 */
public final class DigitalOceanException extends RuntimeException {
    private final String request;
    private final int status;
    private final String errorId;
    private final String answer;

    public DigitalOceanException(String request, int status, String errorId, String message) {
        this(request, status, errorId, (status > 0 ? status + (errorId == null ? "" : " " + errorId) + ": " : "") + message, true);
    }

    private DigitalOceanException(String request, int status, String errorId, String answer, boolean namesRequest) {
        super(namesRequest ? request + ": " + answer : answer);
        this.request = request;
        this.status = status;
        this.errorId = errorId;
        this.answer = answer;
    }

    /** The same failure, its message without the request: for where the request is named already. */
    public DigitalOceanException withoutRequest() {
        return new DigitalOceanException(request, status, errorId, answer, false);
    }

    /** Method and path, e.g. {@code PUT /v2/firewalls/bb4b2611-...}. */
    public String request() {
        return request;
    }

    public int status() {
        return status;
    }

    public String errorId() {
        return errorId;
    }
}
