package io.authgate.core.jobs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.TestStore;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.pgclient.pubsub.PgSubscriber;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The jobs engine's store half against a real PostgreSQL: enqueue, claim, lease, retry, cancel. */
@ExtendWith(NoBlockedThreads.class)
class JobStoreIT {
  private static final List<String> TYPES = List.of(JobTypes.DIRECTORY_SYNC);
  private static final Duration LEASE = Duration.ofSeconds(30);
  private static final Backoff BACKOFF = new Backoff(List.of(Duration.ofMinutes(1), Duration.ofMinutes(5)));
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

  @BeforeEach
  void empty() {
    pool.query("DELETE FROM jobs").execute().await();
  }

  private static NewJob sync(String directory) {
    return NewJob.of(JobTypes.DIRECTORY_SYNC, new JsonObject().put(JobTypes.DIRECTORY, directory), "test");
  }

  @Test
  void anEnqueuedJobIsAnnouncedAndClaimedOnceWithALease() throws Exception {
    List<String> heard = new CopyOnWriteArrayList<>();
    PgSubscriber subscriber = PgSubscriber.subscriber(vertx, store.options());
    subscriber.channel(JobTypes.CHANNEL).handler(heard::add);
    subscriber.connect().await();
    try {
      Job job = jobs.enqueue(sync("corp")).await().orElseThrow();
      assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
      long deadline = System.currentTimeMillis() + 5000;
      while (heard.isEmpty() && System.currentTimeMillis() < deadline) {
        Thread.sleep(20);
      }
      assertThat(heard).containsExactly(JobTypes.DIRECTORY_SYNC + ":" + job.id());

      Job claimed = jobs.claim("worker-a", TYPES, LEASE).await().orElseThrow();
      assertThat(claimed.id()).isEqualTo(job.id());
      assertThat(claimed.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(claimed.leaseOwner()).isEqualTo("worker-a");
      assertThat(claimed.attempts()).isEqualTo(1);
      assertThat(claimed.leaseExpiresAt()).isCloseTo(Instant.now().plus(LEASE), within(5, ChronoUnit.SECONDS));
      assertThat(jobs.claim("worker-b", TYPES, LEASE).await()).isEmpty();
      assertThat(jobs.claim("worker-b", List.of("other.type"), LEASE).await()).isEmpty();
    } finally {
      subscriber.close().await();
    }
  }

  @Test
  void aDedupeKeyAllowsOneLiveJobOnly() {
    Job first = jobs.enqueue(sync("corp").dedupedBy("sync:corp")).await().orElseThrow();
    assertThat(jobs.enqueue(sync("corp").dedupedBy("sync:corp")).await()).isEmpty();
    jobs.claim("w", TYPES, LEASE).await().orElseThrow();
    assertThat(jobs.enqueue(sync("corp").dedupedBy("sync:corp")).await()).isEmpty();
    jobs.succeed(first.id(), "w", new JsonObject().put("created", 3)).await();
    assertThat(jobs.enqueue(sync("corp").dedupedBy("sync:corp")).await()).isPresent();
    Job done = jobs.get(first.id()).await().orElseThrow();
    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);

    SyncRequest request = new SyncRequest("lab", SyncRequest.Mode.INCREMENTAL, true);
    Job asked = jobs.enqueue(request.toJob("api-key-1")).await().orElseThrow();
    assertThat(asked.payload()).isEqualTo(new JsonObject().put("directory", "lab").put("mode", "incremental")
        .put("dryRun", true));
    assertThat(asked.dedupeKey()).isEqualTo("directory.sync:lab");
    assertThat(jobs.enqueue(new SyncRequest("lab", SyncRequest.Mode.FULL, false).toJob("api-key-2")).await())
        .as("one sync per directory at a time").isEmpty();
    assertThat(done.result().getInteger("created")).isEqualTo(3);
    assertThat(done.leaseOwner()).isNull();
    assertThat(done.finishedAt()).isNotNull();
  }

  @Test
  void failuresRetryWithBackoffThenFailWithTheErrorKept() {
    Job job = jobs.enqueue(sync("corp").withMaxAttempts(3)).await().orElseThrow();
    Job first = jobs.claim("w", TYPES, LEASE).await().orElseThrow();
    assertThat(jobs.fail(job.id(), "w", first.attempts(), new JsonObject().put("message", "ldap down"), BACKOFF).await())
        .isEqualTo(JobStatus.QUEUED);
    Job queued = jobs.get(job.id()).await().orElseThrow();
    assertThat(queued.nextAttemptAt()).isCloseTo(Instant.now().plus(1, ChronoUnit.MINUTES), within(10, ChronoUnit.SECONDS));
    assertThat(queued.error().getString("message")).isEqualTo("ldap down");
    assertThat(jobs.claim("w", TYPES, LEASE).await()).as("not due before its backoff").isEmpty();

    makeDue(job);
    Job second = jobs.claim("w", TYPES, LEASE).await().orElseThrow();
    assertThat(second.attempts()).isEqualTo(2);
    jobs.fail(job.id(), "w", second.attempts(), new JsonObject().put("message", "still down"), BACKOFF).await();
    assertThat(jobs.get(job.id()).await().orElseThrow().nextAttemptAt())
        .isCloseTo(Instant.now().plus(5, ChronoUnit.MINUTES), within(10, ChronoUnit.SECONDS));

    makeDue(job);
    Job third = jobs.claim("w", TYPES, LEASE).await().orElseThrow();
    assertThat(jobs.fail(job.id(), "w", third.attempts(), new JsonObject().put("message", "gone"), BACKOFF).await())
        .isEqualTo(JobStatus.FAILED);
    Job failed = jobs.get(job.id()).await().orElseThrow();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.error().getString("message")).isEqualTo("gone");
    assertThat(failed.attempts()).isEqualTo(3);
    assertThat(failed.finishedAt()).isNotNull();
  }

  @Test
  void anExpiredLeaseIsTakenOverAndTheOldWorkerIsLockedOut() throws Exception {
    Job job = jobs.enqueue(sync("corp")).await().orElseThrow();
    jobs.claim("dead-worker", TYPES, Duration.ofMillis(200)).await().orElseThrow();
    pool.withTransaction(c -> jobs.checkpoint(c, job.id(), "dead-worker", new JsonObject().put("page", 7), 7000, 0, null))
        .await();
    assertThat(jobs.heartbeat(job.id(), "someone-else", LEASE).await()).isFalse();
    Thread.sleep(400);
    assertThat(jobs.reclaimExpired().await()).isEqualTo(1);

    Job resumed = jobs.claim("live-worker", TYPES, LEASE).await().orElseThrow();
    assertThat(resumed.id()).isEqualTo(job.id());
    assertThat(resumed.checkpoint().getInteger("page")).isEqualTo(7);
    assertThat(resumed.progressDone()).isEqualTo(7000);
    assertThat(resumed.attempts()).isEqualTo(2);
    assertThat(jobs.heartbeat(job.id(), "dead-worker", LEASE).await()).isFalse();
    assertThatThrownBy(() -> pool.withTransaction(c -> jobs.checkpoint(c, job.id(), "dead-worker",
        new JsonObject().put("page", 8), 8000, 0, null)).await()).isInstanceOf(JobLostException.class);
    assertThatThrownBy(() -> jobs.succeed(job.id(), "dead-worker", new JsonObject()).await())
        .isInstanceOf(JobLostException.class);
    assertThat(jobs.heartbeat(job.id(), "live-worker", LEASE).await()).isTrue();
  }

  @Test
  void cancellingARunningJobStopsItsWorkerAtTheNextCheckpoint() {
    Job job = jobs.enqueue(sync("corp")).await().orElseThrow();
    jobs.claim("w", TYPES, LEASE).await().orElseThrow();
    Job cancelled = jobs.cancel(job.id()).await().orElseThrow();
    assertThat(cancelled.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(cancelled.leaseOwner()).isNull();
    assertThatThrownBy(() -> pool.withTransaction(c -> jobs.checkpoint(c, job.id(), "w", new JsonObject(), 1, 0, null))
        .await()).isInstanceOf(JobLostException.class);
    assertThat(jobs.get(job.id()).await().orElseThrow().progressDone()).isZero();

    Job done = jobs.enqueue(sync("corp")).await().orElseThrow();
    jobs.claim("w", TYPES, LEASE).await().orElseThrow();
    jobs.succeed(done.id(), "w", new JsonObject()).await();
    assertThat(jobs.cancel(done.id()).await().orElseThrow().status()).as("a finished job stays as it was")
        .isEqualTo(JobStatus.SUCCEEDED);
    assertThat(jobs.cancel(java.util.UUID.randomUUID()).await()).isEmpty();
  }

  @Test
  void jobsAreListedNewestFirstByTypeStatusAndDirectoryAPageAtATime() {
    Job a = jobs.enqueue(sync("corp")).await().orElseThrow();
    Job b = jobs.enqueue(sync("lab")).await().orElseThrow();
    Job c = jobs.enqueue(sync("corp")).await().orElseThrow();
    jobs.enqueue(NewJob.of(JobTypes.DIRECTORY_HEALTH, new JsonObject().put(JobTypes.DIRECTORY, "corp"), "t")).await();

    JobQuery.Page first = jobs.list(new JobQuery(JobTypes.DIRECTORY_SYNC, JobStatus.QUEUED, "corp", null, 1)).await();
    assertThat(first.items()).extracting(Job::id).containsExactly(c.id());
    assertThat(first.more()).isTrue();
    JobQuery.Page second = jobs.list(new JobQuery(JobTypes.DIRECTORY_SYNC, null, "corp", c.id(), 1)).await();
    assertThat(second.items()).extracting(Job::id).containsExactly(a.id());
    assertThat(second.more()).isFalse();
    assertThat(jobs.list(new JobQuery(null, null, "lab", null, 10)).await().items()).extracting(Job::id)
        .containsExactly(b.id());
    assertThat(jobs.list(new JobQuery(null, null, null, null, 10)).await().items()).hasSize(4);
  }

  @Test
  void finishedJobsArePurgedAfterTheRetentionOthersKept() {
    Job old = jobs.enqueue(sync("corp")).await().orElseThrow();
    Job recent = jobs.enqueue(sync("corp")).await().orElseThrow();
    Job oldQueued = jobs.enqueue(sync("corp")).await().orElseThrow();
    pool.preparedQuery("UPDATE jobs SET status = 'succeeded', finished_at = now() - interval '8 days' WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(old.id())).await();
    pool.preparedQuery("UPDATE jobs SET status = 'failed', finished_at = now() - interval '1 day' WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(recent.id())).await();
    pool.preparedQuery("UPDATE jobs SET created_at = now() - interval '30 days' WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(oldQueued.id())).await();
    assertThat(jobs.purgeFinished(Duration.ofDays(7)).await()).isEqualTo(1);
    assertThat(jobs.get(old.id()).await()).isEmpty();
    assertThat(jobs.get(recent.id()).await()).isPresent();
    assertThat(jobs.get(oldQueued.id()).await()).isPresent();
  }

  private static void makeDue(Job job) {
    pool.preparedQuery("UPDATE jobs SET next_attempt_at = now() WHERE id = $1")
        .execute(io.vertx.sqlclient.Tuple.of(job.id())).await();
  }
}
