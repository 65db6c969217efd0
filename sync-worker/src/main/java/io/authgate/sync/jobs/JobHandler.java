package io.authgate.sync.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;

/**
 * Runs the jobs of one type. Implementations never block the event loop they are called on (LDAP
 * work goes through {@code executeBlocking}) and are thread-safe: several worker verticles share one.
 */
public interface JobHandler {
  /** @return the job type this handler runs */
  String type();

  /**
   * Runs one attempt. A job resumed after a crash or a retry finds its last checkpoint in
   * {@link JobContext#checkpoint()}.
   *
   * @return its report, stored as the job's result; a failure is retried with backoff
   */
  Future<JsonObject> run(JobContext context);
}
