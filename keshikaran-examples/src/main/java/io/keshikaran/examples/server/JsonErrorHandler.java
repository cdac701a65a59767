package io.keshikaran.examples.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Answers the errors Jetty detects itself (a malformed request line, headers too large, ...) with
 * the same JSON shape as the handler's own errors, instead of Jetty's HTML page.
 */
final class JsonErrorHandler extends ErrorHandler {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json; charset=utf-8");
        response.write(true, ByteBuffer.wrap(body(code, message)), callback);
    }

    private static byte[] body(int code, String message) {
        ObjectNode node = MAPPER.createObjectNode();
        node.put("error", message != null && !message.isBlank() ? message : HttpStatus.getMessage(code));
        node.putNull("file");
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }
}
