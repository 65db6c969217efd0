package io.authgate.sync;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.ConfigLoader;
import io.authgate.core.jobs.Job;
import io.authgate.core.jobs.JobStore;
import io.authgate.core.jobs.NewJob;
import io.authgate.core.observability.MeterRegistries;
import io.authgate.core.runtime.Platform;
import io.authgate.core.store.DirectoryRecords;
import io.authgate.core.store.Postgres;
import io.authgate.core.testing.Slapd;
import io.authgate.core.testing.TestServices;
import io.authgate.core.testing.TestVertx;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * A real OpenLDAP of its own, a fresh store with the directory {@code corp} recorded, and sync
 * worker nodes (each its own Vert.x, pool and registry, as separate processes would have) started
 * on demand. The harness's own pool reads and enqueues.
 */
final class SyncHarness implements AutoCloseable {
  static final String DIRECTORY = "corp";
  final Slapd slapd;
  final PgConnectOptions options;
  final AuthgateConfig config;
  final Vertx vertx;
  final Pool pool;
  final JobStore jobs;
  private final List<Node> nodes = new ArrayList<>();

  /** A sync-worker process: its Vert.x, store pool, registry and role. */
  record Node(Vertx vertx, Pool pool, PrometheusMeterRegistry registry, SyncWorker worker) {
    /** Stops it abruptly, as a crash would: no job is handed back. */
    void kill() {
      vertx.close().await();
    }
  }

  private SyncHarness(Slapd slapd, PgConnectOptions options, AuthgateConfig config) {
    this.slapd = slapd;
    this.options = options;
    this.config = config;
    this.vertx = TestVertx.create();
    this.pool = Postgres.pool(vertx, options, 4);
    this.jobs = new JobStore(pool);
  }

  /** @param sync the {@code sync:} section's keys, as YAML flow mapping entries */
  static SyncHarness start(String sync) {
    return start(sync, "");
  }

  /**
   * @param sync the {@code sync:} section's keys, as YAML flow mapping entries
   * @param directory more keys of the directory, as YAML flow mapping entries
   */
  static SyncHarness start(String sync, String directory) {
    if (!sync.contains("opsPort")) {
      sync = "opsPort: 0, " + sync;
    }
    Slapd slapd = Slapd.startNew();
    String yaml = """
        roles: [sync-worker]
        directories:
          - name: %s
            urls: ["%s"]
            baseDn: "%s"
            bindDn: "%s"
            bindPassword: "%s"
            userSearchBase: "ou=people,%s"
            %s
        sync: {%s}
        """.formatted(DIRECTORY, slapd.url(), Slapd.BASE_DN, Slapd.ADMIN_DN, Slapd.ADMIN_PASSWORD, Slapd.BASE_DN,
        directory, sync);
    AuthgateConfig config;
    try {
      Path file = Files.createTempFile("authgate-sync", ".yaml");
      Files.writeString(file, yaml);
      config = ConfigLoader.withEnvironment(Map.of()).load(Optional.of(file));
      Files.delete(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    PgConnectOptions options = Postgres.connectOptions(TestServices.freshDatabase());
    Postgres.migrate(options);
    SyncHarness harness = new SyncHarness(slapd, options, config);
    new DirectoryRecords(harness.pool).recordConfigured(config.directories()).await();
    return harness;
  }

  /** Starts a sync-worker node. */
  Node startNode() {
    PrometheusMeterRegistry registry = MeterRegistries.prometheus();
    Vertx nodeVertx = TestVertx.create(registry);
    Pool nodePool = Postgres.pool(nodeVertx, options, 4);
    Platform platform = Platform.start(nodeVertx, config, registry, Optional.of(nodePool)).await();
    Node node = new Node(nodeVertx, nodePool, registry, SyncWorker.start(platform, options).await());
    nodes.add(node);
    return node;
  }

  /** Enqueues a job. */
  Job enqueue(NewJob job) {
    return jobs.enqueue(job).await().orElseThrow();
  }

  /** @return the job once it finished */
  Job awaitFinished(UUID id, Duration within) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (System.nanoTime() < deadline) {
      Job job = jobs.get(id).await().orElseThrow();
      if (job.status().finished()) {
        return job;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " did not finish within " + within + ": " + jobs.get(id).await());
  }

  /** Enqueues a job and waits until it finished. */
  Job run(NewJob job) throws InterruptedException {
    return awaitFinished(enqueue(job).id(), Duration.ofSeconds(30));
  }

  List<Row> rows(String sql, Object... params) {
    List<Row> rows = new ArrayList<>();
    pool.preparedQuery(sql).execute(Tuple.from(params)).await().forEach(rows::add);
    return rows;
  }

  Row one(String sql, Object... params) {
    List<Row> rows = rows(sql, params);
    assertThat(rows).as(sql).hasSize(1);
    return rows.get(0);
  }

  long count(String sql, Object... params) {
    return one(sql, params).getLong(0);
  }

  @Override
  public void close() {
    for (Node node : nodes) {
      try {
        node.kill();
      } catch (RuntimeException ignored) {
        // already stopped
      }
    }
    pool.close().await();
    vertx.close().await();
    slapd.close();
  }
}
