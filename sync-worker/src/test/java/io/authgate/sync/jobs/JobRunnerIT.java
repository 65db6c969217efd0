package io.authgate.sync.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.events.Addresses;
import io.authgate.core.jobs.Backoff;
import io.authgate.core.jobs.Job;
import io.authgate.core.jobs.JobStatus;
import io.authgate.core.jobs.JobStore;
import io.authgate.core.jobs.NewJob;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A runner keeps its lease with heartbeats while a job outlives it, and resumes from a checkpoint. */
@ExtendWith(NoBlockedThreads.class)
class JobRunnerIT {
  private static final String SLOW = "test.slow";
  private static TestStore store;
  private static Vertx vertx;
  private static Pool pool;
  private static JobStore jobs;

  @BeforeAll
  static void start() {
    store = TestStore.start(4);
    vertx = store.vertx();
    pool = store.pool();
    jobs = new JobStore(pool);
  }

  @AfterAll
  static void stop() {
    store.close();
  }

  /** Counts to {@code steps}, one step every 300 ms, checkpointing each; resumes from its checkpoint. */
  private static final class SlowHandler implements JobHandler {
    @Override
    public String type() {
      return SLOW;
    }

    @Override
    public Future<JsonObject> run(JobContext context) {
      int from = context.checkpoint() == null ? 0 : context.checkpoint().getInteger("step");
      return step(context, from, context.job().payload().getInteger("steps"))
          .map(n -> new JsonObject().put("resumedFrom", from).put("steps", n));
    }

    private Future<Integer> step(JobContext context, int n, int steps) {
      if (n == steps) {
        return Future.succeededFuture(n);
      }
      Promise<Void> later = Promise.promise();
      context.vertx().setTimer(300, id -> later.complete());
      return later.future()
          .compose(v -> pool.withTransaction(tx -> context.checkpoint(tx, new JsonObject().put("step", n + 1), n + 1, 0,
              (long) steps)))
          .compose(v -> step(context, n + 1, steps));
    }
  }

  @Test
  void heartbeatsKeepALongJobWithItsRunnerAndACheckpointIsWhereARetryResumes() throws Exception {
    JobRunnerVerticle.Settings settings = new JobRunnerVerticle.Settings(jobs, List.of(new SlowHandler()),
        Duration.ofSeconds(1), new Backoff(List.of(Duration.ZERO)), new SimpleMeterRegistry(), "test-process");
    String deployment = vertx.deployVerticle(new JobRunnerVerticle(settings)).await();
    try {
      Job job = jobs.enqueue(NewJob.of(SLOW, new JsonObject().put("steps", 10), "t")).await().orElseThrow();
      vertx.eventBus().publish(Addresses.JOBS_AVAILABLE, null);
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      Job now = job;
      while (!now.status().finished() && System.nanoTime() < deadline) {
        assertThat(jobs.reclaimExpired().await()).as("the lease is renewed while the job runs").isZero();
        Thread.sleep(100);
        now = jobs.get(job.id()).await().orElseThrow();
      }
      assertThat(now.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(now.attempts()).as("3 s of work under a 1 s lease, one attempt").isEqualTo(1);
      assertThat(now.result().getInteger("steps")).isEqualTo(10);
      assertThat(now.progressDone()).isEqualTo(10);
      assertThat(now.progressTotal()).isEqualTo(10);

      // A job that a dead worker left at step 6 goes on from there.
      Job left = jobs.enqueue(NewJob.of(SLOW, new JsonObject().put("steps", 8), "t")).await().orElseThrow();
      jobs.claim("dead", List.of(SLOW), Duration.ofMillis(100)).await().orElseThrow();
      pool.withTransaction(tx -> jobs.checkpoint(tx, left.id(), "dead", new JsonObject().put("step", 6), 6, 0, 8L))
          .await();
      Thread.sleep(200);
      assertThat(jobs.reclaimExpired().await()).isEqualTo(1);
      vertx.eventBus().publish(Addresses.JOBS_AVAILABLE, null);
      Job resumed = awaitFinished(left.id());
      assertThat(resumed.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(resumed.result().getInteger("resumedFrom")).isEqualTo(6);
      assertThat(resumed.attempts()).isEqualTo(2);
    } finally {
      vertx.undeploy(deployment).await();
    }
  }

  private static Job awaitFinished(UUID id) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      Job job = jobs.get(id).await().orElseThrow();
      if (job.status().finished()) {
        return job;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("job " + id + " did not finish");
  }
}
