package dev.ballot.kv.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;

/** A plain socket to a test server, for bytes no client library would send. */
final class RawClient implements AutoCloseable {

    private final Socket socket;

    RawClient(InetSocketAddress address) throws IOException {
        socket = new Socket(address.getHostString(), address.getPort());
        socket.setSoTimeout(10_000);
    }

    void send(String data) throws IOException {
        socket.getOutputStream().write(data.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    void send(byte[] data) throws IOException {
        socket.getOutputStream().write(data);
        socket.getOutputStream().flush();
    }

    /** Reads until the server closes the connection (fails on the 10 s read timeout). */
    String readToEnd() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n; (n = in.read(buf)) >= 0; ) {
                out.write(buf, 0, n);
            }
        } catch (SocketException reset) {
            // A reset after the server closed still ends the stream; what arrived before counts.
        }
        return out.toString(StandardCharsets.ISO_8859_1);
    }

    /** Reads exactly {@code n} bytes. */
    String read(int n) throws IOException {
        byte[] b = socket.getInputStream().readNBytes(n);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
