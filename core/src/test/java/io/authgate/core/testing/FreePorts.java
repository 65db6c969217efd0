package io.authgate.core.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Finds free loopback ports for test servers. Thread-safe.
 *
 * <p>The ports come from below the kernel's ephemeral range (Linux's
 * {@code net.ipv4.ip_local_port_range}, 32768-60999 by default), which outgoing connections take
 * their local ports from. A port from that range, free when handed out, can be taken by any
 * connection the tests or the server under test open before the server binds it; and a client
 * polling it before the server listens can connect to itself (a TCP self-connection), believe the
 * server is up and wait on its own bytes. Below the range neither can happen. No port is handed
 * out twice in one JVM.
 */
public final class FreePorts {
  private static final int LOWEST = 10_000;
  private static final Set<Integer> HANDED_OUT = new HashSet<>();

  private FreePorts() {}

  /** @return a port that was free a moment ago, outside the ephemeral range where there is one */
  public static synchronized int next() {
    int highest = ephemeralLow() - 1;
    if (highest - LOWEST < 1_000) {
      return anyFree();
    }
    int span = highest - LOWEST + 1;
    int start = ThreadLocalRandom.current().nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = LOWEST + (start + i) % span;
      if (!HANDED_OUT.contains(port) && bindable(port)) {
        HANDED_OUT.add(port);
        return port;
      }
    }
    return anyFree();
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  private static int anyFree() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** @return the lowest ephemeral port: 32768 where the kernel does not say */
  private static int ephemeralLow() {
    try {
      // Read as lines: Files.readString returned only "3" here (procfs files report no size).
      String range = Files.readAllLines(Path.of("/proc/sys/net/ipv4/ip_local_port_range")).get(0);
      return Integer.parseInt(range.trim().split("\\s+")[0]);
    } catch (IOException | RuntimeException unknown) {
      return 32_768;
    }
  }
}
