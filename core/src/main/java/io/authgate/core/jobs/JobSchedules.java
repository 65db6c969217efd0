package io.authgate.core.jobs;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Periodic jobs ({@code job_schedules}), fired once per period across any number of workers: a
 * firing locks the due schedule row ({@code FOR UPDATE SKIP LOCKED}), enqueues its job and moves
 * {@code next_run_at} on in one transaction, so a racing worker either skips the locked row or
 * sees it no longer due. A schedule's job is deduplicated by the schedule's name, so a period
 * whose previous job still runs adds nothing. Thread-safe.
 */
public final class JobSchedules {
  private static final String ENSURE = """
      INSERT INTO job_schedules (name, job_type, payload, every_ms, next_run_at) VALUES ($1, $2, $3, $4, now())
      ON CONFLICT (name) DO UPDATE SET job_type = EXCLUDED.job_type, payload = EXCLUDED.payload,
        every_ms = EXCLUDED.every_ms, updated_at = now(),
        next_run_at = least(job_schedules.next_run_at, now() + EXCLUDED.every_ms * interval '1 millisecond')""";
  private static final String DUE = "SELECT name, job_type, payload FROM job_schedules WHERE next_run_at <= now() "
      + "ORDER BY next_run_at LIMIT 50 FOR UPDATE SKIP LOCKED";
  private static final String FIRED = "UPDATE job_schedules SET next_run_at = now() + every_ms * interval '1 millisecond', "
      + "last_job_id = coalesce($2, last_job_id), last_fired_at = now(), updated_at = now() WHERE name = $1";

  /**
   * A periodic job.
   *
   * @param name unique; also the dedupe key of the jobs it fires
   * @param type the job type
   * @param payload the job's parameters
   * @param every the period
   */
  public record Schedule(String name, String type, JsonObject payload, Duration every) {}

  /**
   * A schedule fired.
   *
   * @param name the schedule
   * @param job the job it enqueued, or empty when its previous job was still queued or running
   */
  public record Firing(String name, Optional<Job> job) {}

  private final Pool pool;
  private final JobStore jobs;
  private final int maxAttempts;

  /** Schedules whose jobs get {@link NewJob#DEFAULT_MAX_ATTEMPTS} attempts. */
  public JobSchedules(Pool pool) {
    this(pool, NewJob.DEFAULT_MAX_ATTEMPTS);
  }

  /**
   * @param pool the store
   * @param maxAttempts the attempts each fired job gets
   */
  public JobSchedules(Pool pool, int maxAttempts) {
    this.pool = pool;
    this.jobs = new JobStore(pool);
    this.maxAttempts = maxAttempts;
  }

  /** Records the schedules (a new one is due at once; a changed period applies from now). */
  public Future<Void> ensure(List<Schedule> schedules) {
    if (schedules.isEmpty()) {
      return Future.succeededFuture();
    }
    List<Tuple> rows = schedules.stream()
        .map(s -> Tuple.of(s.name(), s.type(), s.payload(), Math.max(1, s.every().toMillis()))).toList();
    return pool.preparedQuery(ENSURE).executeBatch(rows).mapEmpty();
  }

  /**
   * Forgets the schedules of a family that are not in a list: those of a directory deleted since,
   * say. Schedules of other families are kept.
   *
   * @param prefix the family's name prefix, such as {@code directory.}
   * @param keep the names to keep
   * @return how many were forgotten
   */
  public Future<Integer> retainOnly(String prefix, List<String> keep) {
    return pool.preparedQuery("DELETE FROM job_schedules WHERE starts_with(name, $1) AND NOT (name = ANY($2))")
        .execute(Tuple.of(prefix).addArrayOfString(keep.toArray(new String[0]))).map(rows -> rows.rowCount());
  }

  /**
   * Fires every due schedule once.
   *
   * @param createdBy recorded as the jobs' creator
   * @return the schedules this call fired (none when another worker fired them first)
   */
  public Future<List<Firing>> fireDue(String createdBy) {
    return pool.withTransaction(connection -> connection.query(DUE).execute().compose(rows -> {
      List<Firing> firings = new ArrayList<>();
      Future<Void> chain = Future.succeededFuture();
      for (Row row : rows) {
        chain = chain.compose(v -> fire(connection, row, createdBy)).map(firing -> {
          firings.add(firing);
          return null;
        });
      }
      return chain.map(v -> List.copyOf(firings));
    }));
  }

  private Future<Firing> fire(SqlConnection connection, Row row, String createdBy) {
    String name = row.getString("name");
    NewJob job = NewJob.of(row.getString("job_type"), row.getJsonObject("payload"), createdBy).dedupedBy(name)
        .withMaxAttempts(maxAttempts);
    return jobs.enqueue(connection, job).compose(enqueued -> connection.preparedQuery(FIRED)
        .execute(Tuple.of(name, enqueued.map(Job::id).orElse(null)))
        .map(new Firing(name, enqueued)));
  }
}
