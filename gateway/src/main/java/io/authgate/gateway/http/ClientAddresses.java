package io.authgate.gateway.http;

import io.vertx.core.net.SocketAddress;
import io.vertx.ext.web.RoutingContext;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Finds the client's address: the peer's, unless the peer is a trusted proxy, in which case the
 * right-most address in {@code X-Forwarded-For} that is not itself a trusted proxy. Forwarded
 * headers from anyone else are ignored, so a client cannot pick the address its failures count
 * against. Thread-safe.
 */
public final class ClientAddresses {
  private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
  private static final Pattern IPV6 = Pattern.compile("[0-9a-fA-F:.]+");
  /** Peers seen so far and whether each is trusted: proxies are few, so this stays small. */
  private static final int MAX_REMEMBERED_PEERS = 4096;
  private final List<Block> trusted;
  private final Map<String, Boolean> peers = new ConcurrentHashMap<>();

  /** An address block: the first {@code bits} bits of {@code network}. */
  private record Block(byte[] network, int bits) {
    boolean contains(byte[] address) {
      if (address.length != network.length) {
        return false;
      }
      int full = bits / 8;
      for (int i = 0; i < full; i++) {
        if (address[i] != network[i]) {
          return false;
        }
      }
      int rest = bits % 8;
      if (rest == 0) {
        return true;
      }
      int mask = 0xff << (8 - rest) & 0xff;
      return (address[full] & mask) == (network[full] & mask);
    }
  }

  /**
   * @param trustedProxies addresses or CIDR blocks, as validated by configuration
   * @throws IllegalArgumentException when one is not an IP literal
   */
  public ClientAddresses(List<String> trustedProxies) {
    List<Block> blocks = new ArrayList<>();
    for (String entry : trustedProxies) {
      int slash = entry.indexOf('/');
      byte[] network = parse(slash < 0 ? entry : entry.substring(0, slash));
      if (network == null) {
        throw new IllegalArgumentException("not an IP address: " + entry);
      }
      blocks.add(new Block(network, slash < 0 ? network.length * 8 : Integer.parseInt(entry.substring(slash + 1))));
    }
    this.trusted = List.copyOf(blocks);
  }

  /** @return the client's address for this request */
  public String of(RoutingContext ctx) {
    SocketAddress peer = peer(ctx);
    String address = peer == null ? "unknown" : peer.hostAddress();
    if (trusted.isEmpty() || !peerTrusted(address)) {
      return address;
    }
    List<String> chain = ctx.request().headers().getAll(HeaderNames.FORWARDED_FOR);
    List<String> hops = new ArrayList<>();
    chain.forEach(h -> {
      for (String hop : h.split(",")) {
        hops.add(hop.trim());
      }
    });
    for (int i = hops.size() - 1; i >= 0; i--) {
      String hop = hops.get(i);
      if (parse(hop) == null) {
        break;
      }
      if (!isTrusted(hop)) {
        return hop;
      }
      address = hop;
    }
    return address;
  }

  /** @return whether the request comes straight from a trusted proxy, whose forwarded headers may be believed */
  public boolean fromTrustedProxy(RoutingContext ctx) {
    SocketAddress peer = peer(ctx);
    return peer != null && !trusted.isEmpty() && peerTrusted(peer.hostAddress());
  }

  /** The TCP peer, as the connection has it (the router's forwarded-header parsing is not wanted here). */
  private static SocketAddress peer(RoutingContext ctx) {
    return ctx.request().connection().remoteAddress();
  }

  private boolean peerTrusted(String address) {
    Boolean known = peers.get(address);
    if (known != null) {
      return known;
    }
    boolean decided = isTrusted(address);
    if (peers.size() < MAX_REMEMBERED_PEERS) {
      peers.put(address, decided);
    }
    return decided;
  }

  private boolean isTrusted(String address) {
    byte[] bytes = parse(address);
    return bytes != null && trusted.stream().anyMatch(b -> b.contains(bytes));
  }

  /** @return the bytes of an IP literal, or null; never does a DNS lookup */
  private static byte[] parse(String literal) {
    // Only literals reach InetAddress: dotted quads, or IPv6 (which always holds a colon).
    boolean literalForm = IPV4.matcher(literal).matches()
        || (literal.indexOf(':') >= 0 && IPV6.matcher(literal).matches());
    if (!literalForm) {
      return null;
    }
    try {
      return InetAddress.getByName(literal).getAddress();
    } catch (UnknownHostException e) {
      return null;
    }
  }
}
