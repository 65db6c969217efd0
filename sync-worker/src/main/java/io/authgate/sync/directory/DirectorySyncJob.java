package io.authgate.sync.directory;

import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.config.SyncConfig;
import io.authgate.core.jobs.JobTypes;
import io.authgate.core.jobs.SyncRequest;
import io.authgate.sync.jobs.JobContext;
import io.authgate.sync.jobs.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Runs {@link JobTypes#DIRECTORY_SYNC} jobs, whose payload is a {@link SyncRequest}'s: {@code directory}
 * (a configured directory's name), {@code mode} ({@code full}, {@code incremental}, or {@code auto}:
 * incremental unless the last full sync is older than {@code sync.fullSyncInterval}) and
 * {@code dryRun}. Each attempt is a {@link SyncRun}. Thread-safe.
 */
public final class DirectorySyncJob implements JobHandler {
  /** Full sync: every entry, with deletion detection and group mark-and-sweep. */
  public static final String FULL = SyncRequest.Mode.FULL.id();
  /** Entries changed since the last sync's watermark. */
  public static final String INCREMENTAL = SyncRequest.Mode.INCREMENTAL.id();
  /** Full when due by {@code sync.fullSyncInterval}, else incremental. */
  public static final String AUTO = SyncRequest.Mode.AUTO.id();
  private static final String DIRECTORY_ID = "SELECT id FROM directories WHERE name = $1";

  private final Pool pool;
  private final SyncDirectories directories;
  private final SyncConfig config;
  private final SyncMeters meters;

  /**
   * @param pool the store
   * @param directories the directories, configured and managed
   * @param config page size and full-sync interval
   * @param meters sync meters
   */
  public DirectorySyncJob(Pool pool, SyncDirectories directories, SyncConfig config, SyncMeters meters) {
    this.pool = pool;
    this.directories = directories;
    this.config = config;
    this.meters = meters;
  }

  @Override
  public String type() {
    return JobTypes.DIRECTORY_SYNC;
  }

  @Override
  public Future<JsonObject> run(JobContext context) {
    JsonObject payload = context.job().payload();
    String name = payload.getString(JobTypes.DIRECTORY);
    return directories.find(name).compose(directory -> run(context, name, directory));
  }

  private Future<JsonObject> run(JobContext context, String name, DirectoryConfig directory) {
    JsonObject payload = context.job().payload();
    String mode = payload.getString(JobTypes.MODE, AUTO);
    boolean dryRun = payload.getBoolean(JobTypes.DRY_RUN, false);
    return pool.preparedQuery(DIRECTORY_ID).execute(Tuple.of(name)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.failedFuture(new IllegalStateException("directory \"" + name + "\" is not in the store"));
      }
      return new SyncRun(context, pool, directory, rows.iterator().next().getUUID("id"), mode, dryRun, config, meters)
          .run();
    });
  }
}
