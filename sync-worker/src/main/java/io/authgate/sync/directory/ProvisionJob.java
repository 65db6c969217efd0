package io.authgate.sync.directory;

import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.jobs.JobTypes;
import io.authgate.sync.jobs.JobContext;
import io.authgate.sync.jobs.JobHandler;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Runs {@link JobTypes#DIRECTORY_PROVISION} jobs (payload {@code directory}): the accounts of a
 * directory with provisioning enabled that changed since the last run are written to it (see
 * {@link ProvisionRun}). Idempotent: a second run changes nothing. Thread-safe.
 */
public final class ProvisionJob implements JobHandler {
  private static final String DIRECTORY_ID = "SELECT id FROM directories WHERE name = $1";
  private final Pool pool;
  private final Map<String, DirectoryConfig> directories;
  private final int pageSize;

  /**
   * @param pool the store
   * @param directories the configured directories
   * @param pageSize accounts per page (and per checkpoint)
   */
  public ProvisionJob(Pool pool, List<DirectoryConfig> directories, int pageSize) {
    this.pool = pool;
    this.directories = directories.stream().collect(Collectors.toMap(DirectoryConfig::name, Function.identity()));
    this.pageSize = pageSize;
  }

  @Override
  public String type() {
    return JobTypes.DIRECTORY_PROVISION;
  }

  @Override
  public Future<JsonObject> run(JobContext context) {
    String name = context.job().payload().getString(JobTypes.DIRECTORY);
    DirectoryConfig directory = directories.get(name);
    if (directory == null || !directory.provisioning().enabled()) {
      return Future.failedFuture(new IllegalArgumentException("no directory named \"" + name
          + "\" with provisioning enabled is configured"));
    }
    return pool.preparedQuery(DIRECTORY_ID).execute(Tuple.of(name)).compose(rows -> rows.size() == 0
        ? Future.failedFuture(new IllegalStateException("directory \"" + name + "\" is not in the store"))
        : new ProvisionRun(context, pool, directory, rows.iterator().next().getUUID("id"), pageSize).run());
  }
}
