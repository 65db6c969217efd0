package io.authgate.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Attribute;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import io.authgate.core.jobs.Job;
import io.authgate.core.jobs.JobStatus;
import io.authgate.core.jobs.SyncRequest;
import io.authgate.core.testing.Slapd;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The sync benchmark: a full sync of {@code -Dauthgate.bench.entries=N} entries (100,000 for the
 * figure in docs/BENCHMARKS.md) from slapd into PostgreSQL, then an incremental sync of 100 changes,
 * and provisioning of {@code -Dauthgate.bench.provision=N} accounts to slapd. Not part of the test
 * suite (its name is no {@code *IT}): {@code load-tests/sync-bench.sh} runs it and checks the goals.
 */
class SyncBenchmark {
  private static final String PEOPLE = "ou=people," + Slapd.BASE_DN;

  @Test
  void fullAndIncrementalSync() throws Exception {
    int entries = Integer.getInteger("authgate.bench.entries", 0);
    Assumptions.assumeTrue(entries > 0, "set -Dauthgate.bench.entries to run the benchmark");
    try (SyncHarness harness = SyncHarness.start("syncInterval: 0, healthInterval: 0, pollInterval: 200ms, "
        + "pageSize: 1000, lease: 2m")) {
      long loading = System.nanoTime();
      load(harness, entries);
      System.out.printf("loaded %d entries into slapd in %.1f s%n", entries, seconds(loading));
      harness.startNode();

      Job full = harness.awaitFinished(harness.enqueue(
          new SyncRequest(SyncHarness.DIRECTORY, SyncRequest.Mode.FULL, false).toJob("bench")).id(), Duration.ofMinutes(10));
      assertThat(full.status()).as("%s", full.error()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(full.result().getLong("created")).isEqualTo(entries + 9L);
      double fullSeconds = Duration.between(full.startedAt(), full.finishedAt()).toMillis() / 1000.0;
      System.out.printf("full sync of %d entries: %.2f s (%.0f entries/s)%n", entries + 10, fullSeconds,
          (entries + 10) / fullSeconds);

      Thread.sleep(1100);
      try (LDAPConnection admin = harness.slapd.adminConnection()) {
        for (int i = 0; i < 100; i++) {
          admin.modify("uid=bench" + i + "," + PEOPLE, new Modification(ModificationType.REPLACE, "title", "changed"),
              new Modification(ModificationType.REPLACE, "mail", "changed" + i + "@example.org"));
        }
      }
      Job incremental = harness.awaitFinished(harness.enqueue(
          new SyncRequest(SyncHarness.DIRECTORY, SyncRequest.Mode.INCREMENTAL, false).toJob("bench")).id(),
          Duration.ofMinutes(2));
      assertThat(incremental.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(incremental.result().getLong("updated")).isEqualTo(100);
      System.out.printf("incremental sync of 100 changes: %d ms (%d entries read)%n",
          Duration.between(incremental.startedAt(), incremental.finishedAt()).toMillis(),
          incremental.result().getLong("entries"));
    }
  }

  @Test
  void provisioning() throws Exception {
    int accounts = Integer.getInteger("authgate.bench.provision", 0);
    Assumptions.assumeTrue(accounts > 0, "set -Dauthgate.bench.provision to run the benchmark");
    try (SyncHarness harness = SyncHarness.start("syncInterval: 0, healthInterval: 0, pollInterval: 200ms, "
        + "pageSize: 1000, lease: 2m", "provisioning: {enabled: true, baseDn: \"" + PEOPLE + "\"}")) {
      harness.rows("WITH r AS (INSERT INTO resources (type, identifier) SELECT 'user', 'prov' || i "
          + "FROM generate_series(1, $1) i RETURNING id, identifier) "
          + "INSERT INTO users (resource_id, directory_id, username, email, first_name, last_name, status, "
          + "provisioning_method) SELECT r.id, d.id, r.identifier, r.identifier || '@example.org', 'Prov', r.identifier, "
          + "'active', 'import' FROM r, directories d", accounts);
      harness.startNode();
      Job job = harness.awaitFinished(harness.enqueue(io.authgate.core.jobs.NewJob.of(
          io.authgate.core.jobs.JobTypes.DIRECTORY_PROVISION, new io.vertx.core.json.JsonObject()
              .put(io.authgate.core.jobs.JobTypes.DIRECTORY, SyncHarness.DIRECTORY), "bench")).id(), Duration.ofMinutes(10));
      assertThat(job.status()).as("%s", job.error()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(job.result().getLong("created")).isEqualTo(accounts);
      double seconds = Duration.between(job.startedAt(), job.finishedAt()).toMillis() / 1000.0;
      System.out.printf("provisioned %d accounts to LDAP: %.2f s (%.0f accounts/s)%n", accounts, seconds,
          accounts / seconds);
    }
  }

  private static void load(SyncHarness harness, int entries) throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> done = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int first = t;
      done.add(pool.submit(() -> {
        try (LDAPConnection admin = harness.slapd.adminConnection()) {
          for (int i = first; i < entries; i += threads) {
            admin.add(new Entry("uid=bench" + i + "," + PEOPLE, new Attribute("objectClass", "top", "inetOrgPerson"),
                new Attribute("uid", "bench" + i), new Attribute("cn", "Bench User " + i),
                new Attribute("sn", "User" + i), new Attribute("givenName", "Bench"),
                new Attribute("mail", "bench" + i + "@example.org"), new Attribute("departmentNumber", "D" + (i % 50))));
          }
        }
        return null;
      }));
    }
    for (Future<?> f : done) {
      f.get();
    }
    pool.shutdown();
  }

  private static double seconds(long since) {
    return (System.nanoTime() - since) / 1e9;
  }
}
