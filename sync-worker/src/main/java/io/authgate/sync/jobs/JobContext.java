package io.authgate.sync.jobs;

import io.authgate.core.jobs.Job;
import io.authgate.core.jobs.JobLostException;
import io.authgate.core.jobs.JobStore;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.SqlClient;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One attempt of a job as its handler sees it: the job, the worker that holds its lease, and the
 * checkpoint call that records progress in the handler's own transaction. Thread-safe.
 */
public final class JobContext {
  private final Vertx vertx;
  private final Job job;
  private final String owner;
  private final JobStore store;
  private final AtomicBoolean lost = new AtomicBoolean();
  private final AtomicBoolean stopping = new AtomicBoolean();

  JobContext(Vertx vertx, Job job, String owner, JobStore store) {
    this.vertx = vertx;
    this.job = job;
    this.owner = owner;
    this.store = store;
  }

  /** @return Vert.x, for {@code executeBlocking} and timers */
  public Vertx vertx() {
    return vertx;
  }

  /** @return the job as claimed */
  public Job job() {
    return job;
  }

  /** @return the last checkpoint, or null when the job starts from the beginning */
  public JsonObject checkpoint() {
    return job.checkpoint();
  }

  /**
   * Records progress and where to continue, through {@code client} (the transaction that wrote
   * the work it covers, so both commit or neither).
   *
   * @param total items expected, or null when unknown
   * @return a future failed with {@link JobLostException} when the job was cancelled or taken over
   */
  public Future<Void> checkpoint(SqlClient client, JsonObject checkpoint, long done, long failed, Long total) {
    if (lost.get()) {
      return Future.failedFuture(new JobLostException(job.id()));
    }
    return store.checkpoint(client, job.id(), owner, checkpoint, done, failed, total)
        .onFailure(e -> lost.set(e instanceof JobLostException));
  }

  /**
   * Asked before each unit of work (a page): whether to go on.
   *
   * @return a future failed with {@link JobLostException} when the job is known to be lost
   *     (cancelled, or taken over), or with {@link JobStoppedException} when its worker is stopping
   *     (the job goes back to the queue and resumes from its last checkpoint); else a succeeded one
   */
  public Future<Void> stillOurs() {
    if (lost.get()) {
      return Future.failedFuture(new JobLostException(job.id()));
    }
    return stopping.get() ? Future.failedFuture(new JobStoppedException(job.id())) : Future.succeededFuture();
  }

  /** Asks the handler to stop at its next {@link #stillOurs()}: the worker is stopping. */
  void stop() {
    stopping.set(true);
  }

  void markLost() {
    lost.set(true);
  }

  boolean isLost() {
    return lost.get();
  }
}
