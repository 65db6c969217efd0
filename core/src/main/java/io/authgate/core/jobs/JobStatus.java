package io.authgate.core.jobs;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** Where a job is in its life: queued, running, then succeeded, failed or cancelled. */
public enum JobStatus {
  /** Waiting for a worker (new, or retrying after {@code next_attempt_at}). */
  QUEUED("queued"),
  /** Claimed by a worker that holds its lease. */
  RUNNING("running"),
  /** Done. */
  SUCCEEDED("succeeded"),
  /** Out of attempts; the error of the last one is kept. */
  FAILED("failed"),
  /** Cancelled by an administrator. */
  CANCELLED("cancelled");

  private final String id;

  JobStatus(String id) {
    this.id = id;
  }

  /** @return the name the store and the admin API use */
  public String id() {
    return id;
  }

  /** @return whether the job will not run again */
  public boolean finished() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** @return the status of that name, ignoring case */
  public static Optional<JobStatus> byId(String id) {
    String wanted = id.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values()).filter(s -> s.id.equals(wanted)).findFirst();
  }
}
