package io.authgate.gateway.auth;

import io.authgate.core.directory.DirectoryUnavailableException;
import io.authgate.core.directory.RejectReason;
import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The authentication meters: requests by result and source, refusals by reason, unavailability by
 * cause, latency. Every counter is registered up front for each directory, so dashboards see zeros
 * rather than gaps and recording is a plain increment. Thread-safe.
 */
final class AuthMeters {
  private final Timer duration;
  private final Map<String, DirectoryMeters> byDirectory = new ConcurrentHashMap<>();
  private final MeterRegistry registry;

  /** The counters of one directory. */
  private static final class DirectoryMeters {
    final EnumMap<Source, Counter> granted = new EnumMap<>(Source.class);
    final EnumMap<Source, Counter> forbidden = new EnumMap<>(Source.class);
    final Counter refused;
    final Counter unavailable;
    final EnumMap<RejectReason, Counter> reasons = new EnumMap<>(RejectReason.class);
    final EnumMap<DirectoryUnavailableException.Cause, Counter> causes =
        new EnumMap<>(DirectoryUnavailableException.Cause.class);

    DirectoryMeters(MeterRegistry registry, String directory) {
      for (Source source : Source.values()) {
        granted.put(source, requests(registry, directory, "success", source.label()));
        forbidden.put(source, requests(registry, directory, "forbidden", source.label()));
      }
      refused = requests(registry, directory, "invalid_credentials", "none");
      unavailable = requests(registry, directory, "unavailable", "none");
      for (RejectReason reason : RejectReason.values()) {
        reasons.put(reason, Counter.builder(MetricNames.AUTH_REJECTIONS).description("Refused credentials by precise reason")
            .tag(MetricNames.REASON, reason.label()).tag(MetricNames.DIRECTORY, directory).register(registry));
      }
      for (DirectoryUnavailableException.Cause cause : DirectoryUnavailableException.Cause.values()) {
        causes.put(cause, Counter.builder(MetricNames.DIRECTORY_UNAVAILABLE)
            .description("Requests the directory could not answer")
            .tag(MetricNames.CAUSE, cause.label()).tag(MetricNames.DIRECTORY, directory).register(registry));
      }
    }

    private static Counter requests(MeterRegistry registry, String directory, String result, String source) {
      return Counter.builder(MetricNames.AUTH_REQUESTS).description("Authentication requests by result and source")
          .tag(MetricNames.RESULT, result).tag(MetricNames.SOURCE, source).tag(MetricNames.DIRECTORY, directory)
          .register(registry);
    }
  }

  AuthMeters(MeterRegistry registry, Collection<String> directories) {
    this.duration = Timer.builder(MetricNames.AUTH_DURATION)
        .description("Time to answer POST /v1/auth")
        .serviceLevelObjectives(Duration.ofMillis(1), Duration.ofMillis(2), Duration.ofMillis(5),
            Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500),
            Duration.ofSeconds(5), Duration.ofSeconds(10))
        .register(registry);
    this.registry = registry;
    directories.forEach(this::add);
  }

  /** Registers the counters of a directory, unless they are already. */
  void add(String directory) {
    byDirectory.computeIfAbsent(directory, d -> new DirectoryMeters(registry, d));
  }

  void record(AuthDecision decision, long startNanos) {
    duration.record(System.nanoTime() - startNanos, TimeUnit.NANOSECONDS);
    DirectoryMeters meters = byDirectory.get(decision.directory());
    if (decision instanceof AuthDecision.Granted g) {
      meters.granted.get(g.source()).increment();
    } else if (decision instanceof AuthDecision.Forbidden f) {
      meters.forbidden.get(f.source()).increment();
    } else if (decision instanceof AuthDecision.Refused r) {
      meters.refused.increment();
      meters.reasons.get(r.reason()).increment();
    } else {
      meters.unavailable.increment();
      meters.causes.get(((AuthDecision.Unavailable) decision).cause()).increment();
    }
  }
}
