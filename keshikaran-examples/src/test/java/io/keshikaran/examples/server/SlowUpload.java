package io.keshikaran.examples.server;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A client that sends the headers and the first half of an upload, then stops until told to go
 * on: a real slow uploader, used to hold a classification slot without touching the server.
 */
final class SlowUpload implements Closeable {
    private final Socket socket;
    private final byte[] body;
    private final int half;

    SlowUpload(URI base, byte[] body, String contentType) throws IOException {
        this.body = body;
        this.half = body.length / 2;
        this.socket = new Socket(base.getHost(), base.getPort());
        socket.setSoTimeout(60_000);
        OutputStream out = socket.getOutputStream();
        out.write(("POST /v1/classify?name=slow.jpg HTTP/1.1\r\nHost: " + base.getHost() + ":" + base.getPort()
                + "\r\nContent-Type: " + contentType + "\r\nContent-Length: " + body.length
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, half);
        out.flush();
    }

    /** Sends the rest of the body. */
    void finish() throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(body, half, body.length - half);
        out.flush();
    }

    /** Reads the whole answer; the request asked the server to close the connection after it. */
    RawResponse response() throws IOException {
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        in.transferTo(all);
        return RawResponse.parse(all.toString(StandardCharsets.ISO_8859_1));
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** A parsed HTTP/1.1 answer; the body as text (only JSON is expected here). */
    record RawResponse(int status, Map<String, String> headers, String body) {
        static RawResponse parse(String raw) {
            int end = raw.indexOf("\r\n\r\n");
            String[] lines = raw.substring(0, end).split("\r\n");
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
            }
            String body = raw.substring(end + 4);
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            return new RawResponse(Integer.parseInt(lines[0].split(" ")[1]), headers, body);
        }

        private static String dechunk(String chunked) {
            StringBuilder out = new StringBuilder();
            int pos = 0;
            while (true) {
                int eol = chunked.indexOf("\r\n", pos);
                int size = Integer.parseInt(chunked.substring(pos, eol).split(";")[0].trim(), 16);
                if (size == 0) {
                    return out.toString();
                }
                out.append(chunked, eol + 2, eol + 2 + size);
                pos = eol + 2 + size + 2;
            }
        }
    }
}
