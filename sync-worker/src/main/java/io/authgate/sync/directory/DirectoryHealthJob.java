package io.authgate.sync.directory;

import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.jobs.JobTypes;
import io.authgate.core.metrics.MetricNames;
import io.authgate.sync.jobs.JobContext;
import io.authgate.sync.jobs.JobHandler;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs {@link JobTypes#DIRECTORY_HEALTH} jobs: binds as the service account and reads the base
 * entry, then records {@code up} or {@code down}, the time and the latency in {@code directories}.
 * A directory that is down is a successful probe (nothing to retry). {@code authgate_directory_up}
 * follows the store's view of every directory each time a probe runs here. Thread-safe.
 */
public final class DirectoryHealthJob implements JobHandler {
  private static final String RECORD = "UPDATE directories SET health_status = $2, health_checked_at = now(), "
      + "health_latency_ms = $3 WHERE name = $1";
  private static final String ALL = "SELECT name, health_status FROM directories";

  private final Pool pool;
  private final SyncDirectories directories;
  private final MeterRegistry registry;
  private final Map<String, AtomicInteger> up = new ConcurrentHashMap<>();

  /**
   * @param pool the store
   * @param directories the directories, configured and managed
   * @param registry where {@code authgate_directory_up} goes
   */
  public DirectoryHealthJob(Pool pool, SyncDirectories directories, MeterRegistry registry) {
    this.pool = pool;
    this.directories = directories;
    this.registry = registry;
  }

  @Override
  public String type() {
    return JobTypes.DIRECTORY_HEALTH;
  }

  @Override
  public Future<JsonObject> run(JobContext context) {
    String name = context.job().payload().getString(JobTypes.DIRECTORY);
    return directories.find(name).compose(directory -> probe(context, name, directory));
  }

  private Future<JsonObject> probe(JobContext context, String name, DirectoryConfig directory) {
    long started = System.nanoTime();
    return context.vertx().executeBlocking(() -> {
      try (LdapReader reader = LdapReader.open(directory)) {
        reader.probe(directory.baseDn());
      }
      return null;
    }).transform(probe -> {
      int latency = (int) Math.min(Integer.MAX_VALUE, (System.nanoTime() - started) / 1_000_000);
      String status = probe.succeeded() ? "up" : "down";
      JsonObject result = new JsonObject().put("directory", name).put("status", status).put("latencyMs", latency);
      if (probe.failed()) {
        result.put("error", String.valueOf(probe.cause().getMessage()));
      }
      return pool.preparedQuery(RECORD).execute(Tuple.of(name, status, probe.succeeded() ? latency : null))
          .compose(v -> pool.query(ALL).execute())
          .map(rows -> {
            rows.forEach(row -> gauge(row.getString("name")).set("up".equals(row.getString("health_status")) ? 1 : 0));
            return result;
          });
    });
  }

  private AtomicInteger gauge(String directory) {
    return up.computeIfAbsent(directory, d -> {
      AtomicInteger value = new AtomicInteger();
      Gauge.builder(MetricNames.DIRECTORY_UP, value, AtomicInteger::get)
          .description("1 when the directory's last health probe succeeded, else 0")
          .tag(MetricNames.DIRECTORY, d).register(registry);
      return value;
    });
  }
}
