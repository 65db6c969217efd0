package io.authgate.gateway.auth;

import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/** The authentication meters: requests by result and source, refusals by reason, latency. Thread-safe. */
final class AuthMeters {
  private final MeterRegistry registry;
  private final Timer duration;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();

  AuthMeters(MeterRegistry registry) {
    this.registry = registry;
    this.duration = Timer.builder(MetricNames.AUTH_DURATION)
        .description("Time to answer POST /v1/auth")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10))
        .register(registry);
  }

  void record(AuthDecision decision, long startNanos) {
    duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    if (decision instanceof AuthDecision.Refused r) {
      count(MetricNames.AUTH_REJECTIONS, "Refused credentials by precise reason", MetricNames.REASON,
          r.reason().label(), decision.directory());
    } else if (decision instanceof AuthDecision.Unavailable u) {
      count(MetricNames.DIRECTORY_UNAVAILABLE, "Requests the directory could not answer", MetricNames.CAUSE,
          u.cause().label(), decision.directory());
    }
    String result = resultOf(decision);
    String source = sourceOf(decision);
    counters.computeIfAbsent(result + '|' + source + '|' + decision.directory(), k -> Counter
        .builder(MetricNames.AUTH_REQUESTS)
        .description("Authentication requests by result and source")
        .tag(MetricNames.RESULT, result).tag(MetricNames.SOURCE, source)
        .tag(MetricNames.DIRECTORY, decision.directory()).register(registry)).increment();
  }

  private static String resultOf(AuthDecision decision) {
    if (decision instanceof AuthDecision.Granted) {
      return "success";
    }
    if (decision instanceof AuthDecision.Forbidden) {
      return "forbidden";
    }
    return decision instanceof AuthDecision.Refused ? "invalid_credentials" : "unavailable";
  }

  private static String sourceOf(AuthDecision decision) {
    if (decision instanceof AuthDecision.Granted g) {
      return g.source().label();
    }
    return decision instanceof AuthDecision.Forbidden f ? f.source().label() : "none";
  }

  private void count(String name, String description, String tag, String value, String directory) {
    counters.computeIfAbsent(name + '|' + value + '|' + directory, k -> Counter.builder(name)
        .description(description).tag(tag, value).tag(MetricNames.DIRECTORY, directory)
        .register(registry)).increment();
  }
}
