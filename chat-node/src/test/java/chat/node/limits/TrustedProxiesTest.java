package chat.node.limits;

import chat.node.engineio.TrustedProxies;

import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.util.Optional;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

class TrustedProxiesTest {
    private static final TrustedProxies PROXIES = TrustedProxies.parse("10.0.0.0/8, 192.168.1.1, fd00::/8");

    @Test
    void aPeerThatIsNoTrustedProxyIsTheClientWhateverItForwards() {
        assertThat(client("203.0.113.1", "198.51.100.1"), is("203.0.113.1"));
        assertThat(TrustedProxies.parse("").clientOf(peer("10.0.0.1"), Optional.of("198.51.100.1")),
                is("10.0.0.1"));
    }

    @Test
    void behindATrustedProxyTheClientIsTheLastHopItForwarded() {
        assertThat(client("10.1.1.1", "198.51.100.1"), is("198.51.100.1"));
        assertThat(client("192.168.1.1", " 203.0.113.9 "), is("203.0.113.9"));
    }

    @Test
    void hopsLeftOfTheFirstUntrustedOneAreTheClientsClaimsAndIgnored() {
        assertThat(client("10.1.1.1", "1.2.3.4, 198.51.100.1, 10.2.2.2"), is("198.51.100.1"));
    }

    @Test
    void whenEveryHopIsTrustedTheFirstIsTheClient() {
        assertThat(client("10.1.1.1", "10.9.9.9, 192.168.1.1"), is("10.9.9.9"));
    }

    @Test
    void aTrustedProxyWithoutTheHeaderIsItselfTheClient() {
        assertThat(PROXIES.clientOf(peer("10.1.1.1"), Optional.empty()), is("10.1.1.1"));
    }

    @Test
    void aHopThatIsNoAddressIsTakenAsItIs() {
        assertThat(client("10.1.1.1", "unknown"), is("unknown"));
        assertThat(client("10.1.1.1", "evil.example, 10.3.3.3"), is("evil.example"));
    }

    @Test
    void ipv6BlocksMatchIpv6PeersOnly() {
        assertThat(client("fd12::1", "2001:db8::5"), is("2001:db8:0:0:0:0:0:5"));
        assertThat(client("2001:db8::1", "198.51.100.1"), is("2001:db8:0:0:0:0:0:1"));
    }

    @Test
    void blocksMatchOnTheirPrefixOnly() {
        TrustedProxies narrow = TrustedProxies.parse("172.16.0.0/12");
        assertThat(narrow.clientOf(peer("172.31.255.254"), Optional.of("198.51.100.1")), is("198.51.100.1"));
        assertThat(narrow.clientOf(peer("172.32.0.1"), Optional.of("198.51.100.1")), is("172.32.0.1"));
    }

    @Test
    void entriesThatAreNoAddressOrBlockAreRefusedAtStart() {
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("proxy.example"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/33"));
        assertThrows(IllegalArgumentException.class, () -> TrustedProxies.parse("10.0.0.0/x"));
    }

    private static String client(String peer, String forwardedFor) {
        return PROXIES.clientOf(peer(peer), Optional.of(forwardedFor));
    }

    private static InetSocketAddress peer(String address) {
        return new InetSocketAddress(address, 40000);
    }
}
