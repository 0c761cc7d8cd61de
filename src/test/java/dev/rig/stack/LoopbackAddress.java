package dev.rig.stack;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Where the verify stand-ins may listen: an IPv4 literal in 127.0.0.0/8 that the caller names, nothing else. */
final class LoopbackAddress {
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");

    private LoopbackAddress() {}

    static InetSocketAddress of(String address, int port) {
        Matcher m = IPV4.matcher(address == null ? "" : address);
        boolean loopback = m.matches() && m.group(1).equals("127");
        for (int i = 2; loopback && i <= 4; i++) loopback = Integer.parseInt(m.group(i)) <= 255;
        if (!loopback) throw new IllegalArgumentException("the stand-ins listen only on a 127.0.0.0/8 address, not " + address);
        try {
            return new InetSocketAddress(InetAddress.getByName(address), port);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an address: " + address, e);
        }
    }
}
