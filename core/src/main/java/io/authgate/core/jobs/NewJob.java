package io.authgate.core.jobs;

import io.vertx.core.json.JsonObject;
import java.util.Objects;
import java.util.Optional;

/**
 * A job to enqueue. Immutable (the payload is copied).
 *
 * @param type what runs it, such as {@link JobTypes#DIRECTORY_SYNC}
 * @param payload its parameters
 * @param dedupeKey when present, the job is not enqueued while another queued or running job has the key
 * @param maxAttempts attempts before it fails for good, at least 1
 * @param createdBy who asked: an API key id, {@code scheduler}, ...
 */
public record NewJob(String type, JsonObject payload, Optional<String> dedupeKey, int maxAttempts, String createdBy) {
  /** The attempts a job gets unless told otherwise. */
  public static final int DEFAULT_MAX_ATTEMPTS = 4;

  /** Checks and copies. */
  public NewJob {
    Objects.requireNonNull(type, "type");
    payload = payload == null ? new JsonObject() : payload.copy();
    Objects.requireNonNull(dedupeKey, "dedupeKey");
    Objects.requireNonNull(createdBy, "createdBy");
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** @return a job of this type with the default attempts and no dedupe key */
  public static NewJob of(String type, JsonObject payload, String createdBy) {
    return new NewJob(type, payload, Optional.empty(), DEFAULT_MAX_ATTEMPTS, createdBy);
  }

  /** @return a copy with this dedupe key */
  public NewJob dedupedBy(String key) {
    return new NewJob(type, payload, Optional.of(key), maxAttempts, createdBy);
  }

  /** @return a copy with this many attempts */
  public NewJob withMaxAttempts(int attempts) {
    return new NewJob(type, payload, dedupeKey, attempts, createdBy);
  }
}
