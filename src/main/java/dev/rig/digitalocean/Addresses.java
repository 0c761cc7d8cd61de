package dev.rig.digitalocean;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * One spelling for each IP address or CIDR block, so that what a playbook says and what the API
 * returns compare equal when they mean the same network: {@code 10.0.0.5/32} is {@code 10.0.0.5},
 * {@code 10.1.2.3/8} is {@code 10.0.0.0/8}, {@code 2001:DB8:0:0::1/128} is {@code 2001:db8::1}.
 */
final class Addresses {
    private Addresses() {}

    /** @throws IllegalArgumentException when the text is not an IPv4/IPv6 address or CIDR block */
    static String canonical(String text) {
        String s = text.strip();
        int slash = s.indexOf('/');
        String ip = slash < 0 ? s : s.substring(0, slash);
        byte[] bytes = parse(ip, text);
        int bits = bytes.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            String p = s.substring(slash + 1);
            if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > bits) {
                throw new IllegalArgumentException("'" + text + "' has an invalid prefix length (0 to " + bits + ")");
            }
            prefix = Integer.parseInt(p);
        }
        for (int i = prefix; i < bits; i++) bytes[i / 8] &= (byte) ~(0x80 >> (i % 8)); // the network, not a host in it
        String address = bytes.length == 4 ? ipv4(bytes) : ipv6(bytes);
        return prefix == bits ? address : address + "/" + prefix;
    }

    private static byte[] parse(String ip, String text) {
        if (ip.matches("\\d{1,3}(\\.\\d{1,3}){3}")) {
            String[] parts = ip.split("\\.");
            byte[] b = new byte[4];
            for (int i = 0; i < 4; i++) {
                int v = Integer.parseInt(parts[i]);
                if (v > 255) throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
                b[i] = (byte) v;
            }
            return b;
        }
        // Only literals reach InetAddress (a ':' makes it an IPv6 literal), so no name is ever looked up.
        if (ip.contains(":") && ip.matches("[0-9A-Fa-f:.]+")) {
            try {
                byte[] b = InetAddress.getByName(ip).getAddress();
                if (b.length == 16) return b;
            } catch (UnknownHostException e) {
                // not a valid literal: reported below
            }
        }
        throw new IllegalArgumentException("'" + text + "' is not an IP address or CIDR block");
    }

    private static String ipv4(byte[] b) {
        return (b[0] & 0xff) + "." + (b[1] & 0xff) + "." + (b[2] & 0xff) + "." + (b[3] & 0xff);
    }

    /** RFC 5952: lower case, no leading zeros, the longest run of two or more zero groups as "::". */
    private static String ipv6(byte[] b) {
        int[] g = new int[8];
        for (int i = 0; i < 8; i++) g[i] = ((b[2 * i] & 0xff) << 8) | (b[2 * i + 1] & 0xff);
        int bestStart = -1, bestLen = 1;
        for (int i = 0; i < 8; ) {
            if (g[i] != 0) {
                i++;
                continue;
            }
            int j = i;
            while (j < 8 && g[j] == 0) j++;
            if (j - i > bestLen) {
                bestStart = i;
                bestLen = j - i;
            }
            i = j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLen - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') out.append(':');
            out.append(Integer.toHexString(g[i]));
        }
        return out.toString();
    }
}
