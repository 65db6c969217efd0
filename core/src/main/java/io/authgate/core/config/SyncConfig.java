package io.authgate.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The sync-worker role: its job runners, their lease and retries, and the periodic jobs it
 * schedules for every directory. Immutable.
 *
 * @param workers worker verticles per process, each running one job at a time
 * @param pollInterval how often a worker looks for due jobs when no notification came
 * @param lease how long a claimed job stays a worker's without a heartbeat
 * @param backoff the waits after the first, second, ... failure (the last one repeats)
 * @param maxAttempts attempts before a job fails for good
 * @param syncInterval how often each directory is synced; zero turns scheduled sync off
 * @param fullSyncInterval a scheduled sync is full (with deletion detection) when the last full one is older
 *     than this, incremental otherwise
 * @param healthInterval how often each directory is probed; zero turns the probe off
 * @param pageSize entries per LDAP page (Active Directory serves at most 1,000)
 * @param retention finished jobs are deleted this long after they finished; zero keeps them
 * @param opsPort where a process that runs only the sync-worker role serves {@code /health/*} and
 *     {@code /metrics} (with the gateway or admin API in the process, their ports serve them)
 */
public record SyncConfig(int workers, Duration pollInterval, Duration lease, List<Duration> backoff, int maxAttempts,
                         Duration syncInterval, Duration fullSyncInterval, Duration healthInterval, int pageSize,
                         Duration retention, int opsPort) {
  /** The largest page Active Directory serves. */
  public static final int MAX_PAGE_SIZE = 1000;

  /** Copies the list. */
  public SyncConfig {
    backoff = List.copyOf(backoff);
  }

  /** @return the defaults */
  public static SyncConfig defaults() {
    return new SyncConfig(2, Duration.ofSeconds(5), Duration.ofSeconds(60),
        List.of(Duration.ofMinutes(1), Duration.ofMinutes(5), Duration.ofMinutes(30)), 4, Duration.ofMinutes(30), Duration.ofHours(24),
        Duration.ofSeconds(60), 500, Duration.ofDays(7), 8082);
  }

  static SyncConfig read(ConfigNode n) {
    SyncConfig d = defaults();
    List<Duration> backoff = new ArrayList<>();
    for (String delay : n.strings("backoff", List.of("1m", "5m", "30m"))) {
      try {
        backoff.add(Durations.parse(delay));
      } catch (IllegalArgumentException e) {
        throw n.problem("backoff", e.getMessage());
      }
    }
    if (backoff.isEmpty()) {
      throw n.problem("backoff", "needs at least one delay");
    }
    SyncConfig config = new SyncConfig(n.integer("workers", d.workers(), 1, 64),
        n.duration("pollInterval", d.pollInterval()), n.duration("lease", d.lease()), backoff,
        n.integer("maxAttempts", d.maxAttempts(), 1, 100), n.duration("syncInterval", d.syncInterval()),
        n.duration("fullSyncInterval", d.fullSyncInterval()), n.duration("healthInterval", d.healthInterval()),
        n.integer("pageSize", d.pageSize(), 1, MAX_PAGE_SIZE), n.duration("retention", d.retention()),
        n.integer("opsPort", d.opsPort(), 0, 65535));
    if (config.pollInterval().toMillis() < 100) {
      throw n.problem("pollInterval", "must be at least 100ms");
    }
    if (config.lease().toMillis() < 1000) {
      throw n.problem("lease", "must be at least 1s");
    }
    n.rejectUnknownKeys();
    return config;
  }
}
