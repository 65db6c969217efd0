package io.authgate.core.observability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.metrics.VertxMetrics;
import io.vertx.micrometer.MicrometerMetricsFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Vert.x 5.0.8's start-up race leaves a connection without a socket metric while its HTTP
 * connection has the server's metrics. The race itself depends on thread scheduling; its outcome
 * is reproduced here exactly, with Micrometer's metrics giving a server's first connection no
 * socket metric.
 */
class GuardedVertxMetricsTest {
  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private Vertx vertx;

  @AfterEach
  void close() {
    if (vertx != null) {
      vertx.close().await();
    }
  }

  @Test
  void aRequestOnAConnectionWithoutASocketMetricIsAnsweredAndTheNextConnectionIsMeasured() throws Exception {
    int port = start(GuardedVertxMetrics::new);

    HttpResponse<String> raced = get(port);
    HttpResponse<String> next = get(port);

    assertThat(raced.statusCode()).isEqualTo(200);
    assertThat(raced.body()).isEqualTo("ok");
    assertThat(next.statusCode()).isEqualTo(200);
    assertThat(requestsCounted()).as("only the connection with a socket metric is measured").isEqualTo(1.0);
  }

  @Test
  void withoutTheGuardThatRequestIsNeverAnswered() throws Exception {
    int port = start(UnaryOperator.identity());

    assertThatThrownBy(() -> get(port))
        .as("Micrometer's requestBegin throws on the missing socket metric; if this now passes, "
            + "Vert.x or Micrometer has fixed it and GuardedVertxMetrics may go")
        .isInstanceOf(HttpTimeoutException.class);
  }

  /** Starts an HTTP server answering "ok" whose first connection has no socket metric. */
  private int start(UnaryOperator<VertxMetrics> guard) {
    MicrometerMetricsFactory micrometer = new MicrometerMetricsFactory(registry);
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(MeterRegistries.vertxMetricsOptions()))
        .withMetrics(options -> guard.apply(withoutFirstSocketMetric(micrometer.metrics(options))))
        .build();
    return vertx.createHttpServer()
        .requestHandler(request -> request.response().end("ok"))
        .listen(0, "127.0.0.1")
        .await()
        .actualPort();
  }

  /** A new connection each time, so that the second request is not on the first's connection. */
  private static HttpResponse<String> get(int port) throws Exception {
    HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
        .timeout(Duration.ofSeconds(2)).build();
    return client.send(request, HttpResponse.BodyHandlers.ofString());
  }

  private double requestsCounted() {
    return registry.scrape().lines()
        .filter(line -> line.startsWith("vertx_http_server_requests_total{"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .sum();
  }

  /** Vert.x metrics whose HTTP servers give their first connection no socket metric, as the race does. */
  private static VertxMetrics withoutFirstSocketMetric(VertxMetrics metrics) {
    AtomicBoolean first = new AtomicBoolean(true);
    return forward(VertxMetrics.class, (method, args) -> {
      Object created = method.invoke(metrics, args);
      if (!method.getName().equals("createHttpServerMetrics")) {
        return created;
      }
      return forward(HttpServerMetrics.class, (call, callArgs) ->
          call.getName().equals("connected") && call.getParameterCount() == 2 && first.getAndSet(false)
              ? null
              : call.invoke(created, callArgs));
    });
  }

  private interface Call {
    Object invoke(Method method, Object[] args) throws Exception;
  }

  private static <T> T forward(Class<T> type, Call call) {
    return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> {
      try {
        return call.invoke(method, args);
      } catch (InvocationTargetException e) {
        throw e.getCause();
      }
    }));
  }
}
