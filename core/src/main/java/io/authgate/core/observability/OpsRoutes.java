package io.authgate.core.observability;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;

/** Mounts {@code /health/live}, {@code /health/ready} and {@code /metrics} on a router. */
public final class OpsRoutes {
  /** Liveness: the process answers. */
  public static final String LIVE = "/health/live";
  /** Readiness: the process's critical dependencies answer. */
  public static final String READY = "/health/ready";
  /** Prometheus scrape endpoint. */
  public static final String METRICS = "/metrics";

  private OpsRoutes() {}

  /**
   * @param router the router to mount on
   * @param registry the registry {@code /metrics} renders
   * @param readiness the checks {@code /health/ready} runs
   */
  public static void mount(Router router, PrometheusMeterRegistry registry, Readiness readiness) {
    router.get(LIVE).handler(ctx -> ctx.response()
        .putHeader("content-type", "application/json")
        .putHeader("cache-control", "no-store")
        .end("{\"status\":\"UP\"}"));
    router.get(READY).handler(ctx -> readiness.check().onComplete(ar -> {
      boolean up = ar.succeeded() && "UP".equals(ar.result().getString("status"));
      ctx.response()
          .setStatusCode(up ? 200 : 503)
          .putHeader("content-type", "application/json")
          .putHeader("cache-control", "no-store")
          .end(ar.succeeded() ? ar.result().encode() : "{\"status\":\"DOWN\"}");
    }));
    router.get(METRICS).handler(PrometheusScrapingHandler.create(registry));
  }
}
