package io.authgate.core.jobs;

import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A job as the store holds it. Immutable; JSON fields are copies the caller may keep. Nullable:
 * {@code dedupeKey}, {@code progressTotal}, {@code checkpoint}, {@code error}, {@code result},
 * {@code leaseOwner}, {@code leaseExpiresAt}, {@code createdBy}, {@code startedAt}, {@code finishedAt}.
 *
 * @param id its id
 * @param type what runs it
 * @param payload its parameters
 * @param status where it is
 * @param dedupeKey at most one live job per key
 * @param progressTotal how many items the job expects, when known
 * @param progressDone items done
 * @param progressFailed items that failed
 * @param checkpoint where a resumed run continues
 * @param error the last failed attempt's error
 * @param result the report of the last run
 * @param attempts attempts started so far
 * @param maxAttempts attempts allowed
 * @param nextAttemptAt when a queued job is due
 * @param leaseOwner the worker running it
 * @param leaseExpiresAt when that worker's lease runs out unless renewed
 * @param createdBy who asked for it
 * @param createdAt when it was enqueued
 * @param updatedAt its last change
 * @param startedAt its first claim
 * @param finishedAt when it finished
 */
public record Job(UUID id, String type, JsonObject payload, JobStatus status, String dedupeKey, Long progressTotal,
                  long progressDone, long progressFailed, JsonObject checkpoint, JsonObject error, JsonObject result,
                  int attempts, int maxAttempts, Instant nextAttemptAt, String leaseOwner, Instant leaseExpiresAt,
                  String createdBy, Instant createdAt, Instant updatedAt, Instant startedAt, Instant finishedAt) {

  /** The columns {@link #of(Row)} reads. */
  static final String COLUMNS = "id, type, payload, status, dedupe_key, progress_total, progress_done, "
      + "progress_failed, checkpoint, error, result, attempts, max_attempts, next_attempt_at, lease_owner, "
      + "lease_expires_at, created_by, created_at, updated_at, started_at, finished_at";

  static Job of(Row row) {
    return new Job(row.getUUID("id"), row.getString("type"), json(row, "payload"),
        JobStatus.byId(row.getString("status")).orElseThrow(), row.getString("dedupe_key"),
        row.getLong("progress_total"), row.getLong("progress_done"), row.getLong("progress_failed"),
        json(row, "checkpoint"), json(row, "error"), json(row, "result"), row.getInteger("attempts"),
        row.getInteger("max_attempts"), instant(row, "next_attempt_at"), row.getString("lease_owner"),
        instant(row, "lease_expires_at"), row.getString("created_by"), instant(row, "created_at"),
        instant(row, "updated_at"), instant(row, "started_at"), instant(row, "finished_at"));
  }

  /** @return the payload's string value, or null */
  public String payloadString(String key) {
    return payload.getString(key);
  }

  /** @return this job as the admin API shows it */
  public JsonObject toJson() {
    JsonObject json = new JsonObject().put("id", id.toString()).put("type", type).put("payload", payload.copy())
        .put("status", status.id()).put("attempts", attempts).put("maxAttempts", maxAttempts)
        .put("progress", new JsonObject().put("total", progressTotal).put("done", progressDone)
            .put("failed", progressFailed))
        .put("createdAt", createdAt.toString()).put("updatedAt", updatedAt.toString())
        .put("nextAttemptAt", nextAttemptAt.toString());
    putIf(json, "createdBy", createdBy);
    putIf(json, "startedAt", startedAt == null ? null : startedAt.toString());
    putIf(json, "finishedAt", finishedAt == null ? null : finishedAt.toString());
    putIf(json, "error", error);
    putIf(json, "result", result);
    return json;
  }

  private static void putIf(JsonObject json, String key, Object value) {
    if (value != null) {
      json.put(key, value);
    }
  }

  private static JsonObject json(Row row, String column) {
    Object value = row.getValue(column);
    return value instanceof JsonObject o ? o : value == null ? null : new JsonObject(value.toString());
  }

  private static Instant instant(Row row, String column) {
    OffsetDateTime time = row.getOffsetDateTime(column);
    return time == null ? null : time.toInstant();
  }
}
