package io.authgate.sync.jobs;

import io.authgate.core.events.Addresses;
import io.authgate.core.jobs.JobSchedules;
import io.authgate.core.jobs.JobStore;
import io.authgate.core.jobs.JobTypes;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.pubsub.PgSubscriber;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The process's link between the store and its job runners: it {@code LISTEN}s on
 * {@code authgate_jobs} and, on each notification, tells the runners over the event bus
 * ({@link Addresses#JOBS_AVAILABLE}). Every poll interval it also puts jobs of dead workers back
 * in the queue, fires due schedules, and tells the runners, so a missed notification only delays
 * a job; every ten minutes it deletes jobs that finished longer ago than the retention. One per process.
 */
public final class JobDispatcherVerticle extends VerticleBase {
  private static final Logger LOG = LoggerFactory.getLogger(JobDispatcherVerticle.class);
  private static final long RECONNECT_MILLIS = 1000;
  private static final long PURGE_EVERY_MILLIS = 10 * 60 * 1000;

  private final PgConnectOptions connectOptions;
  private final JobStore jobs;
  private final JobSchedules schedules;
  private final Duration pollInterval;
  private final Duration retention;
  private final String processId;
  private PgSubscriber subscriber;
  private boolean polling;
  private volatile boolean stopping;

  /**
   * @param connectOptions the store, for the listening connection
   * @param jobs the jobs
   * @param schedules the periodic jobs, fired from here
   * @param pollInterval how often to look for due work without a notification
   * @param retention how long finished jobs are kept; zero keeps them
   * @param processId recorded as the creator of scheduled jobs
   */
  public JobDispatcherVerticle(PgConnectOptions connectOptions, JobStore jobs, JobSchedules schedules,
                               Duration pollInterval, Duration retention, String processId) {
    this.connectOptions = connectOptions;
    this.jobs = jobs;
    this.schedules = schedules;
    this.pollInterval = pollInterval;
    this.retention = retention;
    this.processId = processId;
  }

  @Override
  public Future<?> start() {
    subscriber = PgSubscriber.subscriber(vertx, connectOptions).reconnectPolicy(retries -> RECONNECT_MILLIS);
    subscriber.channel(JobTypes.CHANNEL)
        .subscribeHandler(v -> {
          // Each (re)connect is a new connection. Without a handler of its own, an error on it
          // (PostgreSQL shutting down: "terminating connection due to administrator command") is
          // printed to stderr by the client; the close that follows is what gets reported.
          subscriber.actualConnection()
              .exceptionHandler(e -> LOG.debug("job notification connection: {}", e.toString()));
          wake();
        })
        .handler(payload -> wake());
    subscriber.closeHandler(v -> {
      if (!stopping) {
        LOG.atWarn().addKeyValue("event", "jobs.listen_lost")
            .log("lost the job notification connection; polling until it is back");
      }
    });
    vertx.setPeriodic(1, pollInterval.toMillis(), id -> poll());
    if (!retention.isZero()) {
      vertx.setPeriodic(1, PURGE_EVERY_MILLIS, id -> jobs.purgeFinished(retention)
          .onFailure(e -> LOG.atWarn().addKeyValue("event", "jobs.purge_failed").log("purging old jobs failed: {}",
              e.toString())));
    }
    return subscriber.connect().recover(e -> {
      LOG.atWarn().addKeyValue("event", "jobs.listen_failed").log("cannot LISTEN yet ({}); polling", e.toString());
      return Future.succeededFuture();
    });
  }

  private void poll() {
    if (polling) {
      return;
    }
    polling = true;
    jobs.reclaimExpired()
        .onSuccess(reclaimed -> {
          if (reclaimed > 0) {
            LOG.atInfo().addKeyValue("event", "jobs.reclaimed").addKeyValue("count", reclaimed)
                .log("requeued {} job(s) whose worker stopped", reclaimed);
          }
        })
        .compose(v -> schedules.fireDue("scheduler:" + processId))
        .onComplete(fired -> {
          polling = false;
          if (fired.failed()) {
            LOG.atWarn().addKeyValue("event", "jobs.poll_failed").log("job poll failed: {}", fired.cause().toString());
          }
          wake();
        });
  }

  private void wake() {
    vertx.eventBus().publish(Addresses.JOBS_AVAILABLE, null);
  }

  @Override
  public Future<?> stop() {
    stopping = true;
    return subscriber == null ? Future.succeededFuture() : subscriber.close();
  }
}
