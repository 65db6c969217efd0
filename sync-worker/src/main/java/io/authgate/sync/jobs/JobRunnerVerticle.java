package io.authgate.sync.jobs;

import io.authgate.core.events.Addresses;
import io.authgate.core.jobs.Backoff;
import io.authgate.core.jobs.Job;
import io.authgate.core.jobs.JobLostException;
import io.authgate.core.jobs.JobStatus;
import io.authgate.core.jobs.JobStore;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One job runner: when told jobs may be due ({@link Addresses#JOBS_AVAILABLE}), it claims one
 * under a lease, renews the lease while the handler runs, and records success or a failed attempt
 * (retried with backoff); then it looks for the next. Runs one job at a time; deploy several for
 * parallelism. Its owner id is unique across processes. Undeployed, it gives the job it runs back
 * to the queue, the attempt not counted, rather than let it fail as the store closes.
 */
public final class JobRunnerVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(JobRunnerVerticle.class);

  /**
   * What a runner needs.
   *
   * @param store the jobs
   * @param handlers the handlers, one per type
   * @param lease how long a claim holds without a heartbeat
   * @param backoff waits between attempts
   * @param registry where job meters go
   * @param processId this process's id, prefixed to each runner's owner id
   */
  public record Settings(JobStore store, List<JobHandler> handlers, Duration lease, Backoff backoff,
                         MeterRegistry registry, String processId) {}

  /** The longest a stop waits for the attempt in flight to go back to the queue. */
  static final Duration STOP_GRACE = Duration.ofSeconds(10);

  private final Settings settings;
  private final Map<String, JobHandler> handlers;
  private final JobMeters meters;
  private String owner;
  /** Completed when the claim, attempt and record in flight end; null when the runner is idle. */
  private Promise<Void> busy;
  /** The attempt in flight, told to stop when the runner stops; null when none. */
  private JobContext running;
  /** Set when undeployed: no new claim, and an attempt that ends now goes back to the queue. */
  private boolean stopped;

  /** @param settings what the runner needs */
  public JobRunnerVerticle(Settings settings) {
    this.settings = settings;
    this.handlers = settings.handlers().stream().collect(Collectors.toMap(JobHandler::type, Function.identity()));
    this.meters = new JobMeters(settings.registry());
  }

  @Override
  public Future<?> start() {
    owner = settings.processId() + "/" + UUID.randomUUID().toString().substring(0, 8);
    return vertx.eventBus().localConsumer(Addresses.JOBS_AVAILABLE, message -> claimNext()).completion();
  }

  /**
   * Tells the attempt in flight to stop at its next unit of work and waits, at most
   * {@link #STOP_GRACE} (or the lease, when shorter), for it to go back to the queue while the
   * store is still open. One that takes longer keeps its lease, and is resumed once that runs out.
   */
  @Override
  public Future<?> stop() {
    stopped = true;
    if (busy == null) {
      return Future.succeededFuture();
    }
    if (running != null) {
      running.stop();
    }
    Promise<Void> done = Promise.promise();
    long grace = Math.min(STOP_GRACE.toMillis(), settings.lease().toMillis());
    long timer = vertx.setTimer(grace, id -> {
      if (running != null) {
        Job job = running.job();
        LOG.atWarn().addKeyValue("event", "job.stop_timed_out").addKeyValue("job", job.id())
            .addKeyValue("type", job.type())
            .log("job did not stop within {} ms; another worker resumes it when its lease runs out", grace);
      }
      done.tryComplete();
    });
    busy.future().onComplete(ended -> {
      vertx.cancelTimer(timer);
      done.tryComplete();
    });
    return done.future();
  }

  private void claimNext() {
    if (busy != null || stopped) {
      return;
    }
    Promise<Void> claiming = Promise.promise();
    busy = claiming;
    settings.store().claim(owner, List.copyOf(handlers.keySet()), settings.lease())
        .compose(claimed -> claimed.map(job -> run(job).map(true)).orElse(Future.succeededFuture(false)))
        .onComplete(ran -> {
          busy = null;
          claiming.complete();
          if (ran.failed() && stopped) {
            LOG.debug("claiming or recording a job failed while stopping: {}", ran.cause().toString());
          } else if (ran.failed()) {
            LOG.atWarn().addKeyValue("event", "jobs.claim_failed").log("claiming a job failed: {}", ran.cause().toString());
          } else if (ran.result()) {
            claimNext();
          }
        });
  }

  private Future<Void> run(Job job) {
    JobContext context = new JobContext(vertx, job, owner, settings.store());
    if (stopped) {  // claimed as the stop came: straight back to the queue
      return release(context).mapEmpty();
    }
    running = context;
    long started = System.nanoTime();
    long every = Math.max(250, settings.lease().toMillis() / 3);
    long heartbeat = vertx.setPeriodic(every, id -> settings.store().heartbeat(job.id(), owner, settings.lease())
        .onSuccess(ours -> {
          if (!ours) {
            context.markLost();
          }
        }));
    LOG.atInfo().addKeyValue("event", "job.started").addKeyValue("job", job.id()).addKeyValue("type", job.type())
        .addKeyValue("attempt", job.attempts()).log("job started");
    Future<JsonObject> attempt;
    try {
      attempt = handlers.get(job.type()).run(context);
    } catch (RuntimeException e) {
      attempt = Future.failedFuture(e);
    }
    return attempt.eventually(() -> {
      vertx.cancelTimer(heartbeat);
      running = null;
      return Future.succeededFuture();
    }).transform(outcome -> finish(context, outcome.succeeded() ? outcome.result() : null, outcome.cause()))
        .onSuccess(status -> {
          meters.finished(job.type(), status, Duration.ofNanos(System.nanoTime() - started));
          LOG.atInfo().addKeyValue("event", "job.finished").addKeyValue("job", job.id()).addKeyValue("type", job.type())
              .addKeyValue("status", status).log("job attempt ended: {}", status);
        })
        .mapEmpty();
  }

  private Future<String> finish(JobContext context, JsonObject result, Throwable failure) {
    Job job = context.job();
    if (failure == null) {
      return settings.store().succeed(job.id(), owner, result == null ? new JsonObject() : result)
          .map(JobStatus.SUCCEEDED.id()).recover(e -> lost(e, job));
    }
    if (failure instanceof JobLostException || context.isLost()) {
      return Future.succeededFuture(JobMeters.LOST);
    }
    if (stopped || failure instanceof JobStoppedException) {
      // The stop ended it (or overtook its failure, which the next attempt will meet again): not an attempt used.
      return release(context);
    }
    JsonObject error = new JsonObject().put("message", String.valueOf(failure.getMessage()))
        .put("kind", failure.getClass().getSimpleName()).put("attempt", job.attempts());
    LOG.atWarn().addKeyValue("event", "job.attempt_failed").addKeyValue("job", job.id()).addKeyValue("type", job.type())
        .log("job attempt {} failed: {}", job.attempts(), failure.toString());
    return settings.store().fail(job.id(), owner, job.attempts(), error, settings.backoff())
        .map(status -> status == JobStatus.QUEUED ? JobMeters.RETRY : status.id())
        .recover(e -> lost(e, job));
  }

  /** Gives the job back to the queue, its attempt not counted. @return the meters' status label */
  private Future<String> release(JobContext context) {
    Job job = context.job();
    return settings.store().release(job.id(), owner).map(ours -> {
      if (ours) {
        LOG.atInfo().addKeyValue("event", "job.released").addKeyValue("job", job.id()).addKeyValue("type", job.type())
            .log("job stopped with its worker; back in the queue, to resume from its checkpoint");
      }
      return ours ? JobMeters.STOPPED : JobMeters.LOST;
    }).otherwise(e -> {
      LOG.atInfo().addKeyValue("event", "job.release_failed").addKeyValue("job", job.id())
          .addKeyValue("type", job.type())
          .log("job stopped with its worker but could not go back to the queue ({}); it is resumed when its lease runs out",
              e.toString());
      return JobMeters.STOPPED;
    });
  }

  private static Future<String> lost(Throwable e, Job job) {
    return e instanceof JobLostException ? Future.succeededFuture(JobMeters.LOST) : Future.failedFuture(e);
  }
}
