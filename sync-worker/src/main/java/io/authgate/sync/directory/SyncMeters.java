package io.authgate.sync.directory;

import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code authgate_sync_entries_total{directory,outcome}} and
 * {@code authgate_sync_last_success_timestamp_seconds{directory}}. Only real runs count; dry runs
 * change nothing. Thread-safe.
 */
public final class SyncMeters {
  private final MeterRegistry registry;
  private final Map<String, AtomicLong> lastSuccess = new ConcurrentHashMap<>();

  /** @param registry where the meters go */
  public SyncMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void entries(String directory, String outcome, long n) {
    if (n > 0) {
      Counter.builder(MetricNames.SYNC_ENTRIES).description("Directory entries sync handled, by outcome")
          .tag(MetricNames.DIRECTORY, directory).tag(MetricNames.OUTCOME, outcome).register(registry).increment(n);
    }
  }

  void succeeded(String directory, Instant at) {
    lastSuccess.computeIfAbsent(directory, d -> {
      AtomicLong seconds = new AtomicLong();
      Gauge.builder(MetricNames.SYNC_LAST_SUCCESS, seconds, AtomicLong::get).baseUnit("seconds")
          .description("When the directory's last sync succeeded (Unix time)")
          .tag(MetricNames.DIRECTORY, d).register(registry);
      return seconds;
    }).set(at.getEpochSecond());
  }
}
