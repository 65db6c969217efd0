package io.authgate.core.observability;

import io.authgate.core.directory.DirectoryUnavailableException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The readiness checks of a process. Every check runs in parallel with a time limit. The process
 * is ready when every <em>critical</em> check passes (the stores it cannot work without); a
 * directory being down is reported but does not make the gateway unready, since cached answers
 * and fast 503s are still its job. Thread-safe once built.
 */
public final class Readiness {
  /** The longest a single check may take. */
  public static final long CHECK_TIMEOUT_MILLIS = 2_000;

  private final Vertx vertx;
  private final Map<String, Check> checks = new LinkedHashMap<>();

  private record Check(boolean critical, Supplier<Future<?>> probe) {}

  /** @param vertx runs the checks' timers */
  public Readiness(Vertx vertx) {
    this.vertx = vertx;
  }

  /**
   * @param name the check's name in the report, such as {@code postgres} or {@code directory:corp}
   * @param critical whether a failure makes the process unready
   * @param probe succeeds when the dependency is healthy
   * @return this
   */
  public synchronized Readiness register(String name, boolean critical, Supplier<Future<?>> probe) {
    checks.put(name, new Check(critical, probe));
    return this;
  }

  /** @return {@code {"status": "UP"|"DOWN", "checks": {name: {status, critical, durationMs, error?}}}} */
  public Future<JsonObject> check() {
    Map<String, Check> snapshot;
    synchronized (this) {
      snapshot = new LinkedHashMap<>(checks);
    }
    List<String> names = new ArrayList<>(snapshot.keySet());
    List<Future<JsonObject>> results = new ArrayList<>();
    for (String name : names) {
      results.add(run(snapshot.get(name)));
    }
    return Future.join(results).transform(ignored -> {
      JsonObject report = new JsonObject();
      boolean up = true;
      for (int i = 0; i < names.size(); i++) {
        JsonObject result = results.get(i).result();
        report.put(names.get(i), result);
        up &= !snapshot.get(names.get(i)).critical() || "UP".equals(result.getString("status"));
      }
      return Future.succeededFuture(new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", report));
    });
  }

  private Future<JsonObject> run(Check check) {
    long start = System.nanoTime();
    Future<?> probe;
    try {
      probe = check.probe().get();
    } catch (RuntimeException e) {
      probe = Future.failedFuture(e);
    }
    return probe.timeout(CHECK_TIMEOUT_MILLIS, TimeUnit.MILLISECONDS).transform(ar -> {
      JsonObject result = new JsonObject()
          .put("status", ar.succeeded() ? "UP" : "DOWN")
          .put("critical", check.critical())
          .put("durationMs", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
      if (ar.failed()) {
        result.put("error", describe(ar.cause()));
      }
      return Future.succeededFuture(result);
    });
  }

  /** Names the failure without echoing messages that might carry connection strings. */
  private static String describe(Throwable failure) {
    if (failure instanceof DirectoryUnavailableException unavailable) {
      return unavailable.kind().label();
    }
    if (failure instanceof java.util.concurrent.TimeoutException) {
      return "timeout";
    }
    if (failure instanceof java.net.ConnectException) {
      return "connection refused";
    }
    return failure.getClass().getSimpleName();
  }
}
