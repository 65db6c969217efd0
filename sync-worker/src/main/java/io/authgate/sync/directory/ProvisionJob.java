package io.authgate.sync.directory;

import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.jobs.JobTypes;
import io.authgate.sync.jobs.JobContext;
import io.authgate.sync.jobs.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * Runs {@link JobTypes#DIRECTORY_PROVISION} jobs (payload {@code directory}): the accounts of a
 * directory with provisioning enabled that changed since the last run are written to it (see
 * {@link ProvisionRun}). Idempotent: a second run changes nothing. Thread-safe.
 */
public final class ProvisionJob implements JobHandler {
  private static final String DIRECTORY_ID = "SELECT id FROM directories WHERE name = $1";
  private final Pool pool;
  private final SyncDirectories directories;
  private final int pageSize;

  /**
   * @param pool the store
   * @param directories the directories, configured and managed
   * @param pageSize accounts per page (and per checkpoint)
   */
  public ProvisionJob(Pool pool, SyncDirectories directories, int pageSize) {
    this.pool = pool;
    this.directories = directories;
    this.pageSize = pageSize;
  }

  @Override
  public String type() {
    return JobTypes.DIRECTORY_PROVISION;
  }

  @Override
  public Future<JsonObject> run(JobContext context) {
    String name = context.job().payload().getString(JobTypes.DIRECTORY);
    return directories.find(name).compose(directory -> directory.provisioning().enabled()
        ? provision(context, name, directory) : Future.failedFuture(new IllegalArgumentException(
            "directory \"" + name + "\" does not have provisioning enabled")));
  }

  private Future<JsonObject> provision(JobContext context, String name, DirectoryConfig directory) {
    return pool.preparedQuery(DIRECTORY_ID).execute(Tuple.of(name)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(new IllegalStateException("directory \"" + name + "\" is not in the store"))
        : new ProvisionRun(context, pool, directory, rows.iterator().next().getUUID("id"), pageSize).run());
  }
}
