package io.syncedfolder.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.syncedfolder.common.Json;
import io.syncedfolder.common.protocol.ErrorBody;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.Locale;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Answers the errors Jetty raises before any route runs (a header or address too large, a malformed request, a
 * body that arrives too slowly) with the API's JSON error body instead of Jetty's HTML page, so every refusal
 * reads the same to a client.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final HttpField JSON = new HttpField(HttpHeader.CONTENT_TYPE, "application/json");

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        int status = request.getAttribute(ERROR_STATUS) instanceof Integer code ? code : response.getStatus();
        Object message = request.getAttribute(ERROR_MESSAGE);
        response.getHeaders().put(JSON);
        response.write(true, body(status, message == null ? null : message.toString()), callback);
        return true;
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
        fields.put(JSON);
        return body(status, reason);
    }

    private static ByteBuffer body(int status, String reason) {
        try {
            return ByteBuffer.wrap(Json.mapper().writeValueAsBytes(errorBody(status, reason)));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Returns the error body for {@code status}; Jetty's own reason is kept when it says more. */
    static ErrorBody errorBody(int status, String reason) {
        String error;
        String detail;
        switch (status) {
            case HttpStatus.REQUEST_HEADER_FIELDS_TOO_LARGE_431, HttpStatus.URI_TOO_LONG_414 -> {
                error = "too large";
                detail = "the request line and headers may have at most " + HttpApi.MAX_HEADER_BYTES + " bytes";
            }
            case HttpStatus.REQUEST_TIMEOUT_408 -> {
                error = "too slow";
                detail = "the request did not arrive in time (a body must come at "
                        + HttpApi.MIN_REQUEST_BYTES_PER_SECOND + " bytes a second or faster)";
            }
            default -> {
                String phrase = HttpStatus.getMessage(status);
                error = phrase == null ? "error" : phrase.toLowerCase(Locale.ROOT);
                detail = reason == null || reason.isBlank() ? error : reason.replaceAll("\\p{Cntrl}", " ");
            }
        }
        return new ErrorBody(error, detail);
    }
}
