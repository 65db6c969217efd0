package io.authgate.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.store.Postgres;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestServices;
import io.authgate.core.testing.TestVertx;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Periodic jobs fire once per period however many schedulers race, each with its own pool. */
@ExtendWith(NoBlockedThreads.class)
class JobSchedulesIT {
  private static Vertx vertx;
  private static Pool poolA;
  private static Pool poolB;

  @BeforeAll
  static void start() {
    PgConnectOptions options = Postgres.connectOptions(TestServices.freshDatabase());
    Postgres.migrate(options);
    vertx = TestVertx.create();
    poolA = Postgres.pool(vertx, options, 4);
    poolB = io.vertx.pgclient.PgBuilder.pool().with(new io.vertx.sqlclient.PoolOptions().setMaxSize(4))
        .connectingTo(options).using(vertx).build();
  }

  @AfterAll
  static void stop() {
    poolA.close().await();
    poolB.close().await();
    vertx.close().await();
  }

  @Test
  void racingSchedulersFireEachPeriodExactlyOnce() throws Exception {
    JobSchedules a = new JobSchedules(poolA);
    JobSchedules b = new JobSchedules(poolB);
    JsonObject payload = new JsonObject().put(JobTypes.DIRECTORY, "corp");
    List<JobSchedules.Schedule> schedules = List.of(
        new JobSchedules.Schedule("sync:corp", JobTypes.DIRECTORY_SYNC, payload, Duration.ofSeconds(2)),
        new JobSchedules.Schedule("health:corp", JobTypes.DIRECTORY_HEALTH, payload, Duration.ofHours(1)));
    Future.all(a.ensure(schedules), b.ensure(schedules)).await();

    assertThat(race(a, b)).as("both schedules fired once").isEqualTo(2);
    assertThat(race(a, b)).as("nothing is due again within the period").isZero();
    assertThat(count("SELECT count(*) FROM jobs WHERE dedupe_key = 'sync:corp'")).isEqualTo(1);

    // The sync job finishes; its next period fires one more, the hourly health check does not.
    poolA.query("UPDATE jobs SET status = 'succeeded', finished_at = now() WHERE dedupe_key = 'sync:corp'")
        .execute().await();
    Thread.sleep(2200);
    assertThat(race(a, b)).isEqualTo(1);
    assertThat(count("SELECT count(*) FROM jobs WHERE dedupe_key = 'sync:corp'")).isEqualTo(2);
    assertThat(count("SELECT count(*) FROM jobs WHERE dedupe_key = 'health:corp'")).isEqualTo(1);
  }

  @Test
  void aPeriodWhosePreviousJobStillRunsAddsNone() throws Exception {
    JobSchedules a = new JobSchedules(poolA);
    a.ensure(List.of(new JobSchedules.Schedule("sync:slow", JobTypes.DIRECTORY_SYNC, new JsonObject(),
        Duration.ofMillis(300)))).await();
    assertThat(a.fireDue("t").await()).singleElement().satisfies(f -> assertThat(f.job()).isPresent());
    Thread.sleep(400);
    assertThat(a.fireDue("t").await()).singleElement().satisfies(f -> assertThat(f.job()).isEmpty());
    assertThat(count("SELECT count(*) FROM jobs WHERE dedupe_key = 'sync:slow'")).isEqualTo(1);
  }

  /** Fires from both schedulers, ten times each, all at once. @return jobs enqueued */
  private static long race(JobSchedules a, JobSchedules b) {
    List<Future<List<JobSchedules.Firing>>> firings = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      firings.add(a.fireDue("a"));
      firings.add(b.fireDue("b"));
    }
    Future.all(firings).await();
    return firings.stream().flatMap(f -> f.result().stream()).filter(f -> f.job().isPresent()).count();
  }

  private static long count(String sql) {
    return poolA.query(sql).execute().await().iterator().next().getLong(0);
  }
}
