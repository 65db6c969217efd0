package io.authgate.sync.jobs;

import java.util.UUID;

/**
 * The worker running a job is stopping (its process shuts down): the handler stops at its next
 * unit of work, and the job goes back to the queue without counting the attempt, to resume from
 * its last checkpoint. Not a failure.
 */
public final class JobStoppedException extends RuntimeException {
  /** @param id the job */
  public JobStoppedException(UUID id) {
    super("job " + id + " stopped: its worker is stopping", null, false, false);
  }
}
