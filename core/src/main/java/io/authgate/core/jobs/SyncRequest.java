package io.authgate.core.jobs;

import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A request to sync one directory, as the admin API ({@code POST /directories/{id}/sync}) and the
 * scheduler make it. Immutable.
 *
 * @param directory the configured directory's name
 * @param mode full, incremental, or auto
 * @param dryRun whether to report without writing
 */
public record SyncRequest(String directory, Mode mode, boolean dryRun) {
  /** How much of the directory a sync reads. */
  public enum Mode {
    /** Every entry, with deletion detection and group mark-and-sweep. */
    FULL("full"),
    /** Entries changed since the last successful sync. */
    INCREMENTAL("incremental"),
    /** Full when the last full sync is older than {@code sync.fullSyncInterval}, else incremental. */
    AUTO("auto");

    private final String id;

    Mode(String id) {
      this.id = id;
    }

    /** @return the name in payloads and the API */
    public String id() {
      return id;
    }

    /** @return the mode of that name, ignoring case */
    public static Optional<Mode> byId(String id) {
      String wanted = id.trim().toLowerCase(Locale.ROOT);
      return Arrays.stream(values()).filter(m -> m.id.equals(wanted)).findFirst();
    }
  }

  /** Checks the fields. */
  public SyncRequest {
    Objects.requireNonNull(directory, "directory");
    Objects.requireNonNull(mode, "mode");
  }

  /** @return the dedupe key of a directory's syncs: one queued or running sync per directory */
  public static String dedupeKey(String directory) {
    return JobTypes.DIRECTORY_SYNC + ":" + directory;
  }

  /** @return the job's payload */
  public JsonObject payload() {
    return new JsonObject().put(JobTypes.DIRECTORY, directory).put(JobTypes.MODE, mode.id())
        .put(JobTypes.DRY_RUN, dryRun);
  }

  /**
   * @param createdBy who asks (an API key id, say)
   * @return the job; {@link JobStore#enqueue} returns empty while the directory has a sync queued or
   *     running (the admin API answers 409 then)
   */
  public NewJob toJob(String createdBy) {
    return NewJob.of(JobTypes.DIRECTORY_SYNC, payload(), createdBy).dedupedBy(dedupeKey(directory));
  }
}
