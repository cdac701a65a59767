package io.keshikaran.examples.server;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/** Builds the requests the tests send: raw bodies and hand-made multipart uploads. */
final class Uploads {
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    private static final String BOUNDARY = "keshikaran-test-boundary-7MA4YWxkTrZu0gW";

    private Uploads() {
    }

    static URI classifyUri(URI base, String name) {
        return base.resolve(name == null ? "v1/classify" : "v1/classify?name=" + name);
    }

    /** The image (or whatever bytes) as the raw request body. */
    static HttpRequest raw(URI base, byte[] body, String contentType, String name) {
        HttpRequest.Builder b = HttpRequest.newBuilder(classifyUri(base, name)).timeout(TIMEOUT)
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return b.build();
    }

    /** A browser-style form upload: a text field, then the file in field {@code field}. */
    static HttpRequest multipart(URI base, String field, String fileName, String contentType, byte[] content) {
        return HttpRequest.newBuilder(classifyUri(base, null)).timeout(TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipartBody(field, fileName, contentType, content)))
                .build();
    }

    static byte[] multipartBody(String field, String fileName, String contentType, byte[] content) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        write(out, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nholiday photo\r\n");
        write(out, "--" + BOUNDARY + "\r\nContent-Disposition: form-data; name=\"" + field + "\"");
        if (fileName != null) {
            write(out, "; filename=\"" + fileName + "\"");
        }
        write(out, "\r\nContent-Type: " + contentType + "\r\n\r\n");
        out.writeBytes(content);
        write(out, "\r\n--" + BOUNDARY + "--\r\n");
        return out.toByteArray();
    }

    /** Declares multipart but forgets the boundary parameter. */
    static HttpRequest multipartWithoutBoundary(URI base, byte[] content) {
        return HttpRequest.newBuilder(classifyUri(base, null)).timeout(TIMEOUT)
                .header("Content-Type", "multipart/form-data")
                .POST(HttpRequest.BodyPublishers.ofByteArray(multipartBody("image", "x.jpg", "image/jpeg", content)))
                .build();
    }

    /** A well-formed form with only text fields: no file to classify. */
    static HttpRequest multipartWithoutFile(URI base) {
        return HttpRequest.newBuilder(classifyUri(base, null)).timeout(TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofString("--" + BOUNDARY
                        + "\r\nContent-Disposition: form-data; name=\"comment\"\r\n\r\nno file here\r\n--" + BOUNDARY + "--\r\n"))
                .build();
    }

    /** Declares a boundary that never appears in the body. */
    static HttpRequest multipartGarbage(URI base, byte[] content) {
        return HttpRequest.newBuilder(classifyUri(base, null)).timeout(TIMEOUT)
                .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
                .POST(HttpRequest.BodyPublishers.ofByteArray(content))
                .build();
    }

    private static void write(ByteArrayOutputStream out, String s) {
        out.writeBytes(s.getBytes(StandardCharsets.UTF_8));
    }
}
