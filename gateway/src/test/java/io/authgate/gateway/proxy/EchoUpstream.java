package io.authgate.gateway.proxy;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * The application behind the proxies: a Vert.x HTTP server on a free loopback port that answers
 * every request with 200 and a JSON echo of what it received: {@code method}, {@code uri} and
 * {@code headers} (lower-case name to the list of values, in order, read as UTF-8), so a test
 * sees exactly which identity headers reached it, and how many times.
 */
final class EchoUpstream implements AutoCloseable {
  private final HttpServer server;

  private EchoUpstream(HttpServer server) {
    this.server = server;
  }

  static EchoUpstream start(Vertx vertx) {
    HttpServer server = vertx.createHttpServer().requestHandler(request -> {
      JsonObject headers = new JsonObject();
      for (Map.Entry<String, String> header : request.headers()) {
        String name = header.getKey().toLowerCase(Locale.ROOT);
        if (!headers.containsKey(name)) {
          headers.put(name, new JsonArray());
        }
        // Netty reads header bytes one char each; the proxies pass authgate's UTF-8 bytes as they are.
        headers.getJsonArray(name).add(new String(header.getValue().getBytes(StandardCharsets.ISO_8859_1),
            StandardCharsets.UTF_8));
      }
      request.response().putHeader("content-type", "application/json")
          .end(new JsonObject().put("method", request.method().name()).put("uri", request.uri())
              .put("headers", headers).encode());
    }).listen(0, "127.0.0.1").await();
    return new EchoUpstream(server);
  }

  /** @return its port on 127.0.0.1 */
  int port() {
    return server.actualPort();
  }

  @Override
  public void close() {
    server.close().await();
  }
}
