package io.authgate.core.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * The {@code jobs} table: what the admin API calls (enqueue, get, list, cancel) and what workers
 * call (claim under a lease, heartbeat, checkpoint, succeed, fail with backoff,
 * release when stopping). Every write a
 * worker makes is guarded by its lease: once a job is cancelled or taken over, the old worker's
 * writes fail with {@link JobLostException}. Thread-safe.
 */
public final class JobStore {
  private static final String INSERT = "INSERT INTO jobs (type, payload, dedupe_key, max_attempts, created_by) "
      + "VALUES ($1, $2, $3, $4, $5) ON CONFLICT (dedupe_key) WHERE dedupe_key IS NOT NULL "
      + "AND status IN ('queued', 'running') DO NOTHING RETURNING " + Job.COLUMNS;
  private static final String NOTIFY = "SELECT pg_notify('" + JobTypes.CHANNEL + "', $1)";
  private static final String GET = "SELECT " + Job.COLUMNS + " FROM jobs WHERE id = $1";
  private static final String CANCEL = "UPDATE jobs SET status = 'cancelled', finished_at = now(), updated_at = now(), "
      + "lease_owner = NULL, lease_expires_at = NULL WHERE id = $1 AND status IN ('queued', 'running') RETURNING id";
  private static final String RECLAIM = """
      WITH expired AS (SELECT id FROM jobs WHERE status = 'running' AND lease_expires_at < now()
                       ORDER BY lease_expires_at LIMIT 100 FOR UPDATE SKIP LOCKED)
      UPDATE jobs j SET lease_owner = NULL, lease_expires_at = NULL, updated_at = now(),
        status = CASE WHEN j.attempts >= j.max_attempts THEN 'failed' ELSE 'queued' END,
        finished_at = CASE WHEN j.attempts >= j.max_attempts THEN now() END,
        error = CASE WHEN j.attempts >= j.max_attempts
          THEN jsonb_build_object('message', 'the worker running it stopped (lease expired)') ELSE j.error END,
        next_attempt_at = now()
      FROM expired WHERE j.id = expired.id""";
  private static final String CLAIM = """
      WITH due AS (SELECT id FROM jobs WHERE status = 'queued' AND next_attempt_at <= now() AND type = ANY($2)
                   ORDER BY next_attempt_at LIMIT 1 FOR UPDATE SKIP LOCKED)
      UPDATE jobs j SET status = 'running', lease_owner = $1, lease_expires_at = now() + $3 * interval '1 millisecond',
        attempts = j.attempts + 1, started_at = coalesce(j.started_at, now()), updated_at = now()
      FROM due WHERE j.id = due.id RETURNING\s""" + prefixed("j.");
  private static final String OWNED = " WHERE id = $1 AND lease_owner = $2 AND status = 'running'";
  private static final String HEARTBEAT = "UPDATE jobs SET lease_expires_at = now() + $3 * interval '1 millisecond'"
      + OWNED;
  private static final String CHECKPOINT = "UPDATE jobs SET checkpoint = $3, progress_done = $4, progress_failed = $5, "
      + "progress_total = coalesce($6, progress_total), updated_at = now()" + OWNED;
  private static final String SUCCEED = "UPDATE jobs SET status = 'succeeded', result = $3, finished_at = now(), "
      + "updated_at = now(), lease_owner = NULL, lease_expires_at = NULL, error = NULL" + OWNED;
  private static final String FAIL = "UPDATE jobs SET error = $3, updated_at = now(), lease_owner = NULL, "
      + "lease_expires_at = NULL, status = CASE WHEN attempts >= max_attempts THEN 'failed' ELSE 'queued' END, "
      + "finished_at = CASE WHEN attempts >= max_attempts THEN now() END, "
      + "next_attempt_at = now() + $4 * interval '1 millisecond'" + OWNED + " RETURNING status";
  private static final String RELEASE = "UPDATE jobs SET status = 'queued', lease_owner = NULL, lease_expires_at = NULL, "
      + "attempts = greatest(attempts - 1, 0), next_attempt_at = now(), updated_at = now()" + OWNED;

  private static final String PURGE = """
      DELETE FROM jobs WHERE id IN (SELECT id FROM jobs WHERE finished_at < now() - $1 * interval '1 millisecond'
                                    AND status IN ('succeeded', 'failed', 'cancelled') LIMIT $2)""";
  /** Jobs deleted per statement of {@link #purgeFinished}. */
  static final int PURGE_BATCH = 1000;

  private final Pool pool;

  /** @param pool the store */
  public JobStore(Pool pool) {
    this.pool = pool;
  }

  /**
   * Enqueues a job and announces it ({@code NOTIFY authgate_jobs}) in one transaction.
   *
   * @return the job, or empty when a queued or running job already has its dedupe key
   */
  public Future<Optional<Job>> enqueue(NewJob job) {
    return pool.withTransaction(connection -> enqueue(connection, job));
  }

  /** As {@link #enqueue(NewJob)}, in the caller's transaction (the notification goes out at its commit). */
  public Future<Optional<Job>> enqueue(SqlConnection connection, NewJob job) {
    Tuple row = Tuple.of(job.type(), job.payload(), job.dedupeKey().orElse(null), job.maxAttempts(), job.createdBy());
    return connection.preparedQuery(INSERT).execute(row).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.<Job>empty());
      }
      Job inserted = Job.of(rows.iterator().next());
      return connection.preparedQuery(NOTIFY).execute(Tuple.of(inserted.type() + ":" + inserted.id()))
          .map(Optional.of(inserted));
    });
  }

  /** @return the job, or empty when there is none with that id */
  public Future<Optional<Job>> get(UUID id) {
    return get(pool, id);
  }

  /** @return the job as the client sees it, or empty */
  public Future<Optional<Job>> get(SqlClient client, UUID id) {
    return client.preparedQuery(GET).execute(Tuple.of(id)).map(JobStore::first);
  }

  /** @return one page of the jobs the query matches, newest first */
  public Future<JobQuery.Page> list(JobQuery query) {
    List<String> where = new ArrayList<>();
    Tuple params = Tuple.tuple();
    if (query.type() != null) {
      params.addString(query.type());
      where.add("type = $" + params.size());
    }
    if (query.status() != null) {
      params.addString(query.status().id());
      where.add("status = $" + params.size());
    }
    if (query.directory() != null) {
      params.addString(query.directory());
      where.add("payload->>'" + JobTypes.DIRECTORY + "' = $" + params.size());
    }
    if (query.before() != null) {
      params.addUUID(query.before());
      where.add("(created_at, id) < (SELECT created_at, id FROM jobs WHERE id = $" + params.size() + ")");
    }
    params.addInteger(query.limit() + 1);
    String sql = "SELECT " + Job.COLUMNS + " FROM jobs" + (where.isEmpty() ? "" : " WHERE " + String.join(" AND ", where))
        + " ORDER BY created_at DESC, id DESC LIMIT $" + params.size();
    return pool.preparedQuery(sql).execute(params).map(rows -> {
      List<Job> jobs = new ArrayList<>();
      rows.forEach(row -> jobs.add(Job.of(row)));
      boolean more = jobs.size() > query.limit();
      return new JobQuery.Page(List.copyOf(more ? jobs.subList(0, query.limit()) : jobs), more);
    });
  }

  /**
   * Cancels a queued or running job. A running job's worker notices at its next checkpoint or
   * heartbeat, and what it was writing then is rolled back.
   *
   * @return the job as it is now (unchanged when it had already finished), or empty when there is none
   */
  public Future<Optional<Job>> cancel(UUID id) {
    return pool.preparedQuery(CANCEL).execute(Tuple.of(id)).compose(rows -> get(id));
  }

  /**
   * Puts running jobs whose lease ran out (their worker died) back in the queue, where the next
   * claim resumes them from their checkpoint; a job that has used all its attempts fails.
   *
   * @return how many were reclaimed
   */
  public Future<Integer> reclaimExpired() {
    return pool.query(RECLAIM).execute().map(RowSet::rowCount);
  }

  /**
   * Claims the oldest due job of one of the types ({@code FOR UPDATE SKIP LOCKED}), counting an attempt.
   *
   * @param owner the worker, unique across processes
   * @param lease how long the claim holds unless renewed by {@link #heartbeat}
   * @return the job claimed, or empty when none is due
   */
  public Future<Optional<Job>> claim(String owner, List<String> types, Duration lease) {
    return pool.preparedQuery(CLAIM).execute(Tuple.of(owner, types.toArray(String[]::new), lease.toMillis()))
        .map(JobStore::first);
  }

  /** Extends the owner's lease. @return false when the job is no longer the owner's */
  public Future<Boolean> heartbeat(UUID id, String owner, Duration lease) {
    return pool.preparedQuery(HEARTBEAT).execute(Tuple.of(id, owner, lease.toMillis())).map(rows -> rows.rowCount() == 1);
  }

  /**
   * Records progress and where to continue, through the client (the transaction that wrote the
   * work, so work and checkpoint commit together).
   *
   * @param total the items expected, or null when unknown (kept as it was)
   * @return a future failed with {@link JobLostException} when the job is no longer the owner's
   */
  public Future<Void> checkpoint(SqlClient client, UUID id, String owner, JsonObject checkpoint, long done, long failed,
                                 Long total) {
    return client.preparedQuery(CHECKPOINT).execute(Tuple.of(id, owner, checkpoint, done, failed, total))
        .compose(rows -> owned(rows, id));
  }

  /** Marks the job succeeded with its report. Fails with {@link JobLostException} when not the owner's. */
  public Future<Void> succeed(UUID id, String owner, JsonObject result) {
    return pool.preparedQuery(SUCCEED).execute(Tuple.of(id, owner, result)).compose(rows -> owned(rows, id));
  }

  /**
   * Records a failed attempt: the job is queued again after the backoff's delay, or failed for
   * good when it has used all its attempts; the error is kept either way.
   *
   * @param attempts the attempts made so far (the job's count after its claim)
   * @return the job's status now; failed with {@link JobLostException} when not the owner's
   */
  public Future<JobStatus> fail(UUID id, String owner, int attempts, JsonObject error, Backoff backoff) {
    return pool.preparedQuery(FAIL).execute(Tuple.of(id, owner, error, backoff.after(attempts).toMillis()))
        .compose(rows -> rows.size() == 0 ? Future.failedFuture(new JobLostException(id))
            : Future.succeededFuture(JobStatus.byId(rows.iterator().next().getString("status")).orElseThrow()));
  }

  /**
   * Gives a running job back to the queue without counting its attempt: its worker is stopping, not
   * failing. The next claim resumes it from its last checkpoint.
   *
   * @return false when the job was no longer the owner's (cancelled or taken over meanwhile)
   */
  public Future<Boolean> release(UUID id, String owner) {
    return pool.preparedQuery(RELEASE).execute(Tuple.of(id, owner)).map(rows -> rows.rowCount() == 1);
  }

  /**
   * Deletes finished jobs (succeeded, failed, cancelled) that finished longer ago than
   * {@code olderThan}, a batch per statement so no statement holds many locks.
   *
   * @return how many were deleted
   */
  public Future<Long> purgeFinished(Duration olderThan) {
    return purgeFrom(olderThan, 0);
  }

  private Future<Long> purgeFrom(Duration olderThan, long deleted) {
    return pool.preparedQuery(PURGE).execute(Tuple.of(olderThan.toMillis(), PURGE_BATCH))
        .compose(rows -> rows.rowCount() < PURGE_BATCH ? Future.succeededFuture(deleted + rows.rowCount())
            : purgeFrom(olderThan, deleted + rows.rowCount()));
  }

  private static Future<Void> owned(RowSet<Row> rows, UUID id) {
    return rows.rowCount() == 1 ? Future.succeededFuture() : Future.failedFuture(new JobLostException(id));
  }

  private static Optional<Job> first(RowSet<Row> rows) {
    return rows.size() == 0 ? Optional.empty() : Optional.of(Job.of(rows.iterator().next()));
  }

  private static String prefixed(String alias) {
    return alias + Job.COLUMNS.replace(", ", ", " + alias);
  }
}
