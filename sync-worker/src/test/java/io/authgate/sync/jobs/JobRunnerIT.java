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

  /**
   * Counts to {@code steps}, one step every 300 ms, checkpointing each; resumes from its checkpoint.
   * Asks {@link JobContext#stillOurs()} before each step, as the real handlers do before each page,
   * unless the payload says {@code "heedsStop": false}.
   */
  private static final class SlowHandler implements JobHandler {
    @Override
    public String type() {
      return SLOW;
    }

    @Override
    public Future<JsonObject> run(JobContext context) {
      int from = context.checkpoint() == null ? 0 : context.checkpoint().getInteger("step");
      boolean heedsStop = context.job().payload().getBoolean("heedsStop", true);
      return step(context, from, context.job().payload().getInteger("steps"), heedsStop)
          .map(n -> new JsonObject().put("resumedFrom", from).put("steps", n));
    }

    private Future<Integer> step(JobContext context, int n, int steps, boolean heedsStop) {
      if (n == steps) {
        return Future.succeededFuture(n);
      }
      return (heedsStop ? context.stillOurs() : Future.<Void>succeededFuture())
          .compose(v -> {
            Promise<Void> later = Promise.promise();
            context.vertx().setTimer(300, id -> later.complete());
            return later.future();
          })
          .compose(v -> pool.withTransaction(tx -> context.checkpoint(tx, new JsonObject().put("step", n + 1), n + 1, 0,
              (long) steps)))
          .compose(v -> step(context, n + 1, steps, heedsStop));
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

  @Test
  void aStoppingRunnerPutsItsJobBackInTheQueueUncountedAndTheNextRunnerResumesIt() throws Exception {
    JobRunnerVerticle.Settings settings = settings(Duration.ofSeconds(30));
    String deployment = vertx.deployVerticle(new JobRunnerVerticle(settings)).await();
    Job job = jobs.enqueue(NewJob.of(SLOW, new JsonObject().put("steps", 40), "t")).await().orElseThrow();
    vertx.eventBus().publish(Addresses.JOBS_AVAILABLE, null);
    awaitProgress(job.id(), 2);

    long stopping = System.nanoTime();
    vertx.undeploy(deployment).await();
    Duration took = Duration.ofNanos(System.nanoTime() - stopping);
    Job back = jobs.get(job.id()).await().orElseThrow();
    assertThat(took).as("the job stops at its next step (300 ms), not after the 10 s grace")
        .isLessThan(Duration.ofSeconds(3));
    assertThat(back.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(back.attempts()).as("a stop is not a failed attempt").isZero();
    assertThat(back.error()).isNull();
    assertThat(back.leaseOwner()).isNull();
    assertThat(back.nextAttemptAt()).as("due at once, no backoff").isBeforeOrEqualTo(java.time.Instant.now());
    int at = back.checkpoint().getInteger("step");
    assertThat(at).isBetween(2, 39);

    String next = vertx.deployVerticle(new JobRunnerVerticle(settings)).await();
    try {
      vertx.eventBus().publish(Addresses.JOBS_AVAILABLE, null);
      Job resumed = awaitFinished(job.id());
      assertThat(resumed.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(resumed.result().getInteger("resumedFrom")).isEqualTo(at);
      assertThat(resumed.attempts()).isEqualTo(1);
    } finally {
      vertx.undeploy(next).await();
    }
  }

  @Test
  void aJobThatIgnoresTheStopKeepsItsLeaseOnceTheGraceRunsOutAndIsReclaimedAfterIt() throws Exception {
    Duration lease = Duration.ofSeconds(2);  // shorter than the 10 s grace, so it is the grace
    String deployment = vertx.deployVerticle(new JobRunnerVerticle(settings(lease))).await();
    Job job = jobs.enqueue(NewJob.of(SLOW, new JsonObject().put("steps", 100).put("heedsStop", false), "t"))
        .await().orElseThrow();
    try {
      vertx.eventBus().publish(Addresses.JOBS_AVAILABLE, null);
      awaitProgress(job.id(), 1);

      long stopping = System.nanoTime();
      vertx.undeploy(deployment).await();
      Duration took = Duration.ofNanos(System.nanoTime() - stopping);
      assertThat(took).as("the stop waits for the grace, no longer").isBetween(lease.minusMillis(100), lease.plusSeconds(2));
      Job left = jobs.get(job.id()).await().orElseThrow();
      assertThat(left.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(left.attempts()).isEqualTo(1);

      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      int reclaimed = 0;
      while (reclaimed == 0 && System.nanoTime() < deadline) {
        Thread.sleep(200);
        reclaimed = jobs.reclaimExpired().await();
      }
      assertThat(reclaimed).as("its lease runs out, as a dead worker's would").isEqualTo(1);
      assertThat(jobs.get(job.id()).await().orElseThrow().status()).isEqualTo(JobStatus.QUEUED);
    } finally {
      jobs.cancel(job.id()).await();
    }
  }

  private static JobRunnerVerticle.Settings settings(Duration lease) {
    return new JobRunnerVerticle.Settings(jobs, List.of(new SlowHandler()), lease,
        new Backoff(List.of(Duration.ofMinutes(1))), new SimpleMeterRegistry(), "test-process");
  }

  private static void awaitProgress(UUID id, long done) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (jobs.get(id).await().orElseThrow().progressDone() < done) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("job " + id + " did not reach step " + done);
      }
      Thread.sleep(50);
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
