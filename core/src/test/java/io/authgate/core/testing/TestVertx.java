package io.authgate.core.testing;

import io.authgate.core.observability.MeterRegistries;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

/**
 * Vert.x for tests: Micrometer metrics into the given registry, and a blocked-thread checker that
 * complains when an event loop is held longer than {@link #MAX_EVENT_LOOP_MILLIS}, far less than
 * any network round trip a blocking LDAP call on an event loop would take under test load.
 */
public final class TestVertx {
  /** How long an event-loop task may run before Vert.x reports the thread as blocked. */
  public static final long MAX_EVENT_LOOP_MILLIS = 500;

  private TestVertx() {}

  /** @return a new Vert.x whose meters go to {@code registry} */
  public static Vertx create(PrometheusMeterRegistry registry) {
    return Vertx.builder()
        .with(new VertxOptions()
            .setMaxEventLoopExecuteTime(MAX_EVENT_LOOP_MILLIS)
            .setMaxEventLoopExecuteTimeUnit(TimeUnit.MILLISECONDS)
            .setBlockedThreadCheckInterval(100)
            .setBlockedThreadCheckIntervalUnit(TimeUnit.MILLISECONDS)
            .setMetricsOptions(MeterRegistries.vertxMetricsOptions()))
        .withMetrics(MeterRegistries.vertxMetrics(registry))
        .build();
  }

  /** @return a new Vert.x with its own registry */
  public static Vertx create() {
    return create(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  /**
   * Runs {@code work} on {@code context}, as code on that event loop would run it, and waits for
   * the future it returns.
   */
  public static <T> T onContext(Context context, Callable<Future<T>> work) {
    Promise<T> done = Promise.promise();
    context.runOnContext(v -> {
      try {
        work.call().onComplete(done);
      } catch (Exception e) {
        done.fail(e);
      }
    });
    return done.future().await();
  }
}
