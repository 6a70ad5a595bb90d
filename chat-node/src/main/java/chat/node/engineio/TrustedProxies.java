package chat.node.engineio;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The proxies whose {@code X-Forwarded-For} a node believes, as addresses or CIDR blocks ({@code 10.0.0.0/8}), and
 * the client address that follows from them. A request from anyone else is its peer's; {@code X-Forwarded-For} is
 * read right to left, past trusted hops only, so a client cannot pose as another address by sending the header.
 */
public final class TrustedProxies {
    /** Address literals only: a host name would make each request wait for DNS. */
    private static final Pattern LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");

    private final List<Block> blocks;

    private TrustedProxies(List<Block> blocks) {
        this.blocks = blocks;
    }

    /**
     * Parses a comma-separated list of addresses and CIDR blocks; empty trusts no one.
     *
     * @throws IllegalArgumentException for an entry that is neither
     */
    public static TrustedProxies parse(String list) {
        return new TrustedProxies(Arrays.stream(list.split(","))
                .map(String::trim)
                .filter(entry -> !entry.isEmpty())
                .map(Block::parse)
                .toList());
    }

    /** The address a request comes from: its peer's, or the one its trusted proxies forwarded. */
    public String clientOf(SocketAddress peer, Optional<String> forwardedFor) {
        InetAddress direct = peer instanceof InetSocketAddress socket ? socket.getAddress() : null;
        if (direct == null) {
            return String.valueOf(peer);
        }
        String client = direct.getHostAddress();
        if (!trusts(direct) || forwardedFor.isEmpty()) {
            return client;
        }
        String[] hops = forwardedFor.get().split(",");
        for (int i = hops.length - 1; i >= 0; i--) {
            String hop = hops[i].trim();
            if (hop.isEmpty()) {
                continue;
            }
            client = hop;
            InetAddress address = literal(hop);
            if (address == null || !trusts(address)) {
                return address == null ? hop : address.getHostAddress();
            }
        }
        return client;
    }

    boolean trusts(InetAddress address) {
        return blocks.stream().anyMatch(block -> block.contains(address));
    }

    private static InetAddress literal(String text) {
        if (!LITERAL.matcher(text).matches()) {
            return null;
        }
        try {
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An address block: the first {@code bits} bits of {@code network}. */
    private record Block(byte[] network, int bits) {

        static Block parse(String entry) {
            int slash = entry.indexOf('/');
            InetAddress address = literal(slash < 0 ? entry : entry.substring(0, slash));
            if (address == null) {
                throw new IllegalArgumentException("'" + entry + "' is not an IP address or CIDR block");
            }
            int max = address.getAddress().length * 8;
            int bits;
            try {
                bits = slash < 0 ? max : Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + entry + "' has no prefix length after '/'", e);
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("'" + entry + "' has a prefix length outside 0 to " + max);
            }
            return new Block(address.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < bits; bit += 8) {
                int mask = bits - bit >= 8 ? 0xff : (0xff << (8 - (bits - bit))) & 0xff;
                if ((candidate[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }
    }
}
