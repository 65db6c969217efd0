package io.authgate.gateway.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.client.WebClient;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client address a request is counted against, over a real loopback connection. */
class ClientAddressesTest {
  private Vertx vertx;
  private WebClient client;
  private final AtomicReference<ClientAddresses> addresses = new AtomicReference<>();
  private int port;

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    Router router = Router.router(vertx);
    router.get("/").handler(ctx -> ctx.response().end(addresses.get().of(ctx)));
    HttpServer server = vertx.createHttpServer().requestHandler(router).listen(0, "127.0.0.1").await();
    port = server.actualPort();
    client = WebClient.create(vertx);
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private String seen(List<String> trusted, String forwardedFor) {
    addresses.set(new ClientAddresses(trusted));
    var request = client.get(port, "127.0.0.1", "/");
    if (forwardedFor != null) {
      request.putHeader("X-Forwarded-For", forwardedFor);
    }
    return request.send().await().bodyAsString();
  }

  @Test
  void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
    assertThat(seen(List.of(), "203.0.113.9")).isEqualTo("127.0.0.1");
    assertThat(seen(List.of("10.0.0.0/8"), "203.0.113.9")).isEqualTo("127.0.0.1");
  }

  @Test
  void behindTrustedProxiesTheRightmostUntrustedHopIsTheClient() {
    assertThat(seen(List.of("127.0.0.1"), "203.0.113.9")).isEqualTo("203.0.113.9");
    // The client may prepend anything; only hops our proxies appended count.
    assertThat(seen(List.of("127.0.0.0/8", "10.0.0.0/8"), "1.2.3.4, 203.0.113.9, 10.1.2.3"))
        .isEqualTo("203.0.113.9");
    assertThat(seen(List.of("127.0.0.1"), "not-an-address")).isEqualTo("127.0.0.1");
    assertThat(seen(List.of("127.0.0.1"), null)).isEqualTo("127.0.0.1");
  }

  @Test
  void ipv6BlocksMatch() {
    assertThat(seen(List.of("::1/128", "127.0.0.1"), "2001:db8::7")).isEqualTo("2001:db8::7");
  }
}
