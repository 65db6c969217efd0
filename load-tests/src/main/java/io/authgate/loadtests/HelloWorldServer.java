package io.authgate.loadtests;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;

/**
 * The baseline of the verify benchmark: Vert.x HTTP and nothing else. It is set up the way the
 * gateway sets up its HTTP edge, so that the gap between the two is what the gateway does on top of
 * Vert.x (routing, request ids, metrics, the session lookup, the identity headers):
 *
 * <ul>
 *   <li>the same Vert.x (the parent's Vert.x BOM), {@code VertxOptions.setPreferNativeTransport(true)}
 *       with netty's epoll transport on the classpath, as the gateway's server module has it;
 *   <li>one verticle instance per CPU core (the gateway's default {@code http.instances}), each with
 *       its own HTTP server on the same port, default {@link HttpServerOptions};
 *   <li>no router, no metrics, no logging: every request, whatever its method or path, gets 200, a
 *       13-byte body and a few headers, about as many bytes as a verify 200 with its identity
 *       headers (wrk's "bytes read per answer" in the summary shows both).
 * </ul>
 *
 * <p>{@code java -cp ... io.authgate.loadtests.HelloWorldServer [PORT [HOST [INSTANCES]]]} (default
 * 8090, 127.0.0.1, one per core). Prints {@code HELLO-READY port=... transport=... instances=...}
 * once listening; stops on SIGTERM or Ctrl-C. A benchmark tool, not part of the gateway.
 */
public final class HelloWorldServer {
  private static final Buffer BODY = Buffer.buffer("Hello, World!");
  /**
   * Built once, shared read-only by every event loop: what the answer carries besides the body. With
   * the status line, {@code content-length} and the body, about 220 bytes, as a verify 200 (request
   * id, {@code Cache-Control}, four identity headers, no body). The request id is a fixed one: the
   * gateway's per-request id is part of what it does on top of Vert.x.
   */
  private static final MultiMap HEADERS = HttpHeaders.headers()
      .add(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
      .add(HttpHeaders.CACHE_CONTROL, "no-store")
      .add("X-Request-Id", "0123456789abcdef0123456789abcdef")
      .add("X-Hello", "world")
      .add("X-Served-By", "vertx-hello-world-baseline");

  private HelloWorldServer() {}

  /** One HTTP server on the shared port; Vert.x spreads the connections over the instances. */
  static final class HelloVerticle extends VerticleBase {
    private final String host;
    private final int port;

    HelloVerticle(String host, int port) {
      this.host = host;
      this.port = port;
    }

    @Override
    public Future<?> start() {
      return vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
          .requestHandler(request -> {
            var response = request.response();
            response.headers().addAll(HEADERS);
            response.end(BODY);
          })
          .listen();
    }
  }

  /**
   * @param args {@code [PORT [HOST [INSTANCES]]]}
   * @throws Exception when the server cannot start
   */
  public static void main(String[] args) throws Exception {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : 8090;
    String host = args.length > 1 ? args[1] : "127.0.0.1";
    int instances = args.length > 2 ? Integer.parseInt(args[2]) : Runtime.getRuntime().availableProcessors();
    Vertx vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      try {
        vertx.close().await(10, TimeUnit.SECONDS);
      } catch (Exception e) {
        // stopping anyway
      }
    }, "hello-world-shutdown"));
    vertx.deployVerticle(() -> new HelloVerticle(host, port), new DeploymentOptions().setInstances(instances))
        .await(30, TimeUnit.SECONDS);
    System.out.println("HELLO-READY port=" + port + " host=" + host + " transport="
        + (vertx.isNativeTransportEnabled() ? "native" : "nio") + " instances=" + instances
        + " cpus=" + Runtime.getRuntime().availableProcessors());
    System.out.flush();
  }
}
