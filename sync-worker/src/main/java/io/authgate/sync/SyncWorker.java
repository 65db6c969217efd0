package io.authgate.sync;

import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.config.Role;
import io.authgate.core.config.SyncConfig;
import io.authgate.core.events.Addresses;
import io.authgate.core.jobs.Backoff;
import io.authgate.core.jobs.JobSchedules;
import io.authgate.core.jobs.JobStore;
import io.authgate.core.jobs.JobTypes;
import io.authgate.core.jobs.SyncRequest;
import io.authgate.core.runtime.Platform;
import io.authgate.core.store.ManagedDirectories;
import io.authgate.sync.directory.DirectoryHealthJob;
import io.authgate.sync.directory.DirectorySyncJob;
import io.authgate.sync.directory.ProvisionJob;
import io.authgate.sync.directory.SyncDirectories;
import io.authgate.sync.directory.SyncMeters;
import io.authgate.sync.jobs.JobDispatcherVerticle;
import io.authgate.sync.jobs.JobHandler;
import io.authgate.sync.jobs.JobRunnerVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync-worker role of one process: its schedules recorded in the store, one dispatcher
 * ({@code LISTEN} and poll), {@code sync.workers} job runners, and, when no other role of the
 * process serves them, health and metrics on {@code sync.opsPort}. Started once; thread-safe.
 */
public final class SyncWorker {
  /** The name prefix of every directory's periodic jobs (sync, provisioning, health). */
  static final String DIRECTORY_SCHEDULES = "directory.";
  private static final Logger LOG = LoggerFactory.getLogger(SyncWorker.class);
  private final Platform platform;
  private final List<String> deployments = new ArrayList<>();

  private SyncWorker(Platform platform) {
    this.platform = platform;
  }

  /**
   * Records the periodic jobs and deploys the dispatcher and the runners.
   *
   * @param platform the process's shared infrastructure, with a store
   * @param storeOptions the store, for the {@code LISTEN} connection
   * @return the running role
   */
  public static Future<SyncWorker> start(Platform platform, PgConnectOptions storeOptions) {
    Pool pool = platform.store().orElseThrow(() -> new IllegalStateException("the sync-worker role needs a store"));
    SyncConfig config = platform.config().sync();
    return platform.secrets().box().map(box -> new SyncDirectories(platform.config().directories(),
            box.map(b -> new ManagedDirectories(pool, Optional.of(b)))))
        .compose(directories -> start(platform, storeOptions, pool, config, directories));
  }

  private static Future<SyncWorker> start(Platform platform, PgConnectOptions storeOptions, Pool pool,
                                          SyncConfig config, SyncDirectories directories) {
    String processId = processId();
    JobStore jobs = new JobStore(pool);
    JobSchedules schedules = new JobSchedules(pool, config.maxAttempts());
    List<JobHandler> handlers = List.of(
        new DirectorySyncJob(pool, directories, config, new SyncMeters(platform.registry())),
        new DirectoryHealthJob(pool, directories, platform.registry()),
        new ProvisionJob(pool, directories, config.pageSize()));
    JobRunnerVerticle.Settings settings = new JobRunnerVerticle.Settings(jobs, handlers, config.lease(),
        new Backoff(config.backoff()), platform.registry(), processId);
    SyncWorker worker = new SyncWorker(platform);
    // Directories created, changed or deleted through the admin API get (or lose) their periodic jobs at once.
    platform.vertx().eventBus().<String>localConsumer(Addresses.DIRECTORIES_CHANGED,
        m -> reschedule(schedules, directories, config)
            .onFailure(e -> LOG.warn("could not reschedule the directories' jobs: {}", e.toString())));
    return reschedule(schedules, directories, config)
        .compose(v -> platform.vertx().deployVerticle(() -> new JobRunnerVerticle(settings),
            new DeploymentOptions().setInstances(config.workers())))
        .compose(id -> {
          worker.deployments.add(id);
          return platform.vertx().deployVerticle(new JobDispatcherVerticle(storeOptions, jobs, schedules,
              config.pollInterval(), config.retention(), processId));
        })
        .compose(id -> {
          worker.deployments.add(id);
          boolean served = platform.config().roles().contains(Role.GATEWAY)
              || platform.config().roles().contains(Role.ADMIN_API);
          return served || config.opsPort() == 0 ? Future.succeededFuture()
              : platform.vertx().deployVerticle(new SyncOpsVerticle(platform)).map(worker.deployments::add);
        })
        .map(worker);
  }

  /** Records the periodic jobs of every directory, and forgets those of directories gone. */
  private static Future<Void> reschedule(JobSchedules schedules, SyncDirectories directories, SyncConfig config) {
    return directories.all().compose(all -> {
      List<JobSchedules.Schedule> wanted = schedules(all, config);
      return schedules.ensure(wanted).compose(v -> schedules.retainOnly(DIRECTORY_SCHEDULES,
          wanted.stream().map(JobSchedules.Schedule::name).toList())).mapEmpty();
    });
  }

  /** @return the periodic jobs the configuration asks for: sync, provisioning (when enabled) and health per directory */
  static List<JobSchedules.Schedule> schedules(List<DirectoryConfig> directories, SyncConfig config) {
    List<JobSchedules.Schedule> schedules = new ArrayList<>();
    for (DirectoryConfig d : directories) {
      if (!config.syncInterval().isZero()) {
        schedules.add(new JobSchedules.Schedule(SyncRequest.dedupeKey(d.name()), JobTypes.DIRECTORY_SYNC,
            new SyncRequest(d.name(), SyncRequest.Mode.AUTO, false).payload(), config.syncInterval()));
      }
      if (!config.syncInterval().isZero() && d.provisioning().enabled()) {
        schedules.add(new JobSchedules.Schedule(JobTypes.DIRECTORY_PROVISION + ":" + d.name(),
            JobTypes.DIRECTORY_PROVISION, new JsonObject().put(JobTypes.DIRECTORY, d.name()), config.syncInterval()));
      }
      if (!config.healthInterval().isZero()) {
        schedules.add(new JobSchedules.Schedule(JobTypes.DIRECTORY_HEALTH + ":" + d.name(), JobTypes.DIRECTORY_HEALTH,
            new JsonObject().put(JobTypes.DIRECTORY, d.name()), config.healthInterval()));
      }
    }
    return schedules;
  }

  private static String processId() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "unknown-host";
    }
    return host + ":" + ProcessHandle.current().pid() + ":" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Undeploys the dispatcher and the runners; a job running here is resumed elsewhere once its lease runs out. */
  public Future<Void> close() {
    Future<Void> closing = Future.succeededFuture();
    for (int i = deployments.size() - 1; i >= 0; i--) {
      String id = deployments.get(i);
      closing = closing.compose(v -> platform.vertx().undeploy(id).recover(e -> Future.succeededFuture()));
    }
    return closing;
  }
}
