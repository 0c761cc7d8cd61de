package dev.rig.ssh;

import com.jcraft.jsch.agentproxy.USocketFactory;
import java.io.EOFException;
import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * jsch-agent-proxy's socket factory on Java 17's own UNIX-domain sockets, in place of the library's
 * usocket-jna (a native library through JNA) and usocket-nc (an `nc` process per request) connectors.
 */
final class UnixSocketFactory implements USocketFactory {
    @Override
    public Socket open(String path) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(path));
        return new Socket() {
            @Override
            public int readFull(byte[] buffer, int start, int length) throws IOException {
                ByteBuffer target = ByteBuffer.wrap(buffer, start, length);
                while (target.hasRemaining()) {
                    if (channel.read(target) < 0) throw new EOFException("ssh-agent at " + path + " closed the connection");
                }
                return length;
            }

            @Override
            public void write(byte[] buffer, int start, int length) throws IOException {
                ByteBuffer source = ByteBuffer.wrap(buffer, start, length);
                while (source.hasRemaining()) channel.write(source);
            }

            @Override
            public void close() throws IOException {
                channel.close();
            }
        };
    }
}
