package io.authgate.core.jobs;

import java.util.UUID;

/**
 * Which jobs to list, newest first. Each criterion may be null, meaning any.
 *
 * @param type only jobs of this type
 * @param status only jobs in this status
 * @param directory only jobs whose payload names this directory
 * @param before only jobs enqueued before this one (the last of the previous page)
 * @param limit the page size, 1 to {@link #MAX_PAGE}
 */
public record JobQuery(String type, JobStatus status, String directory, UUID before, int limit) {
  /** The largest page. */
  public static final int MAX_PAGE = 200;

  /** Checks the limit. */
  public JobQuery {
    if (limit < 1 || limit > MAX_PAGE) {
      throw new IllegalArgumentException("limit must be 1 to " + MAX_PAGE);
    }
  }

  /**
   * One page of jobs.
   *
   * @param items the jobs, newest first
   * @param more whether older jobs match too
   */
  public record Page(java.util.List<Job> items, boolean more) {}
}
