package io.syncedfolder.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Sends requests byte for byte as given, for what a well-behaved client library refuses to send: raw control
 * characters, spaces or NUL in the request line, unencoded {@code ..}.
 */
final class RawHttp {
    private RawHttp() {
    }

    /** A received answer: its status, headers (lowercase names, as one text) and body. */
    record Answer(int status, String headers, String body) {
        @Override
        public String toString() {
            return status + " " + body;
        }
    }

    /** Sends {@code method target} with the token and {@code Connection: close}, and reads the whole answer. */
    static Answer request(int port, String method, String target, String token) throws IOException {
        byte[] head = (method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + token
                + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        return send(port, head);
    }

    /** Sends {@code bytes} as they are and reads until the server closes the connection. */
    static Answer send(int port, byte[] bytes) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(bytes);
            out.flush();
            return read(socket.getInputStream());
        }
    }

    static Answer read(InputStream in) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n; (n = in.read(buffer)) >= 0; ) {
                all.write(buffer, 0, n);
            }
        } catch (java.net.SocketException e) {
            // a reset after the answer: what was read is the answer
        }
        // Bytes as characters one to one, so chunk sizes count right; the body is decoded as UTF-8 at the end.
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (!text.startsWith("HTTP/1.1 ") || end < 0) {
            return new Answer(-1, "", text);
        }
        int status = Integer.parseInt(text.substring(9, 12));
        String headers = text.substring(0, end).toLowerCase(Locale.ROOT);
        String body = text.substring(end + 4);
        if (headers.contains("transfer-encoding: chunked")) {
            body = unchunk(body);
        }
        return new Answer(status, headers,
                new String(body.getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
    }

    private static String unchunk(String chunked) {
        StringBuilder body = new StringBuilder();
        int at = 0;
        while (true) {
            int lineEnd = chunked.indexOf("\r\n", at);
            if (lineEnd < 0) {
                return body.toString();
            }
            int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
            if (size == 0) {
                return body.toString();
            }
            body.append(chunked, lineEnd + 2, Math.min(chunked.length(), lineEnd + 2 + size));
            at = lineEnd + 2 + size + 2;
        }
    }
}
