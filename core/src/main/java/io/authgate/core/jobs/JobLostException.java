package io.authgate.core.jobs;

import java.util.UUID;

/**
 * A worker no longer owns the job it runs: it was cancelled, or its lease ran out and another
 * worker took it. The worker stops; what it wrote in the failing transaction is rolled back.
 */
public final class JobLostException extends RuntimeException {
  /** @param id the job */
  public JobLostException(UUID id) {
    super("job " + id + " is no longer ours (cancelled, or its lease was taken over)", null, false, false);
  }
}
