package io.authgate.sync.jobs;

import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;

/** {@code authgate_jobs_total{type,status}} and {@code authgate_job_duration_seconds{type}}. Thread-safe. */
final class JobMeters {
  /** A status label for an attempt that will be retried. */
  static final String RETRY = "retry";
  /** A status label for an attempt that stopped because the job was cancelled or taken over. */
  static final String LOST = "lost";
  /** A status label for an attempt that stopped with its worker and went back to the queue, not counted. */
  static final String STOPPED = "stopped";

  private final MeterRegistry registry;

  JobMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  void finished(String type, String status, Duration took) {
    Counter.builder(MetricNames.JOBS).description("Job attempts that ended, by outcome")
        .tag(MetricNames.TYPE, type).tag(MetricNames.STATUS, status).register(registry).increment();
    Timer.builder(MetricNames.JOB_DURATION).description("How long one attempt of a job ran")
        .tag(MetricNames.TYPE, type).register(registry).record(took);
  }
}
