package io.authgate.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import io.authgate.core.jobs.Job;
import io.authgate.core.jobs.JobStatus;
import io.authgate.core.jobs.JobTypes;
import io.authgate.core.jobs.NewJob;
import io.authgate.core.jobs.SyncRequest;
import io.authgate.core.testing.NoBlockedThreads;
import io.authgate.core.testing.Slapd;
import io.authgate.sync.directory.DirectorySyncJob;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The job engine end to end, with sync-worker nodes as separate processes would run them: retries
 * with backoff, a node that dies mid-sync and another that finishes the job from its checkpoint,
 * cancellation, periodic jobs fired once across nodes, and the health probe.
 */
@ExtendWith(NoBlockedThreads.class)
class JobEngineIT {
  private static final String PEOPLE = "ou=people," + Slapd.BASE_DN;
  private SyncHarness harness;

  @AfterEach
  void stop() {
    if (harness != null) {
      harness.close();
    }
  }

  private static NewJob fullSync() {
    return new SyncRequest(SyncHarness.DIRECTORY, SyncRequest.Mode.FULL, false).toJob("test");
  }

  private void addPeople(int count) throws Exception {
    try (LDAPConnection admin = harness.slapd.adminConnection()) {
      for (int i = 0; i < count; i++) {
        admin.add(new Entry("uid=user" + i + "," + PEOPLE, new com.unboundid.ldap.sdk.Attribute("objectClass",
            "top", "inetOrgPerson"), new com.unboundid.ldap.sdk.Attribute("uid", "user" + i),
            new com.unboundid.ldap.sdk.Attribute("cn", "User " + i), new com.unboundid.ldap.sdk.Attribute("sn", "" + i),
            new com.unboundid.ldap.sdk.Attribute("mail", "user" + i + "@example.org")));
      }
    }
  }

  private static double meter(SyncHarness.Node node, String line) {
    return node.registry().scrape().lines().filter(l -> l.startsWith(line + " ")).mapToDouble(
        l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  @Test
  void aFailingJobIsRetriedWithBackoffThenFailsWithItsErrorKept() throws Exception {
    harness = SyncHarness.start("syncInterval: 0, healthInterval: 0, pollInterval: 200ms, backoff: [300ms, 1h]");
    SyncHarness.Node node = harness.startNode();
    harness.slapd.stop();
    long started = System.nanoTime();
    Job job = harness.run(fullSync().withMaxAttempts(2));
    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.attempts()).isEqualTo(2);
    assertThat(job.error().getString("message")).isNotBlank();
    assertThat(job.error().getInteger("attempt")).isEqualTo(2);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the second attempt waited its backoff")
        .isGreaterThan(Duration.ofMillis(300));
    assertThat(meter(node, "authgate_jobs_total{status=\"retry\",type=\"directory.sync\"}")).isEqualTo(1.0);
    assertThat(meter(node, "authgate_jobs_total{status=\"failed\",type=\"directory.sync\"}")).isEqualTo(1.0);
    assertThat(node.registry().scrape()).contains("authgate_job_duration_seconds_count{type=\"directory.sync\"} 2");
  }

  @Test
  void aNodeKilledMidSyncLeavesTheJobToAnotherThatSyncsEveryEntryOnce() throws Exception {
    harness = SyncHarness.start("syncInterval: 0, healthInterval: 0, pollInterval: 200ms, lease: 2s, "
        + "backoff: [200ms], pageSize: 50");
    addPeople(2000);
    SyncHarness.Node first = harness.startNode();
    UUID id = harness.enqueue(fullSync()).id();
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (harness.jobs.get(id).await().orElseThrow().progressDone() < 300 && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    first.kill();
    Job interrupted = harness.jobs.get(id).await().orElseThrow();
    assertThat(interrupted.status()).as("killed mid-run").isIn(JobStatus.RUNNING, JobStatus.QUEUED);
    assertThat(interrupted.progressDone()).isBetween(300L, 2009L);

    harness.startNode();
    Job job = harness.awaitFinished(id, Duration.ofSeconds(60));
    assertThat(job.status()).as("%s", job.error()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.attempts()).isEqualTo(2);
    JsonObject report = job.result();
    assertThat(report.getLong("entries")).as("every entry counted once").isEqualTo(2010);
    assertThat(report.getLong("created")).isEqualTo(2009);
    assertThat(job.progressDone()).isEqualTo(2010);
    assertThat(harness.count("SELECT count(*) FROM users")).isEqualTo(2009);
    assertThat(harness.count("SELECT count(DISTINCT external_id) FROM users")).isEqualTo(2009);
    assertThat(harness.count("SELECT count(*) FROM resources WHERE type = 'user'")).isEqualTo(2009);
  }

  @Test
  void aCancelledJobStopsAtItsNextCheckpointAndStaysCancelled() throws Exception {
    harness = SyncHarness.start("syncInterval: 0, healthInterval: 0, pollInterval: 200ms, pageSize: 20");
    addPeople(1000);
    SyncHarness.Node node = harness.startNode();
    UUID id = harness.enqueue(fullSync()).id();
    while (harness.jobs.get(id).await().orElseThrow().progressDone() < 100) {
      Thread.sleep(5);
    }
    assertThat(harness.jobs.cancel(id).await().orElseThrow().status()).isEqualTo(JobStatus.CANCELLED);
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (meter(node, "authgate_jobs_total{status=\"lost\",type=\"directory.sync\"}") < 1 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
    assertThat(meter(node, "authgate_jobs_total{status=\"lost\",type=\"directory.sync\"}")).isEqualTo(1.0);
    long synced = harness.count("SELECT count(*) FROM users");
    Thread.sleep(600);
    Job job = harness.jobs.get(id).await().orElseThrow();
    assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(job.result()).isNull();
    assertThat(synced).isLessThan(1009);
    assertThat(harness.count("SELECT count(*) FROM users")).as("no page written after the cancel").isEqualTo(synced);
  }

  @Test
  void periodicJobsFireOnceAcrossNodesAndTheProbeRecordsHealth() throws Exception {
    harness = SyncHarness.start("syncInterval: 1h, healthInterval: 1h, pollInterval: 100ms");
    SyncHarness.Node a = harness.startNode();
    SyncHarness.Node b = harness.startNode();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (harness.count("SELECT count(*) FROM jobs WHERE status = 'succeeded'") < 2 && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(1000);
    assertThat(harness.count("SELECT count(*) FROM jobs WHERE type = 'directory.sync'")).isEqualTo(1);
    assertThat(harness.count("SELECT count(*) FROM jobs WHERE type = 'directory.health'")).isEqualTo(1);
    assertThat(harness.count("SELECT count(*) FROM jobs WHERE status = 'succeeded'")).isEqualTo(2);
    assertThat(harness.one("SELECT result FROM jobs WHERE type = 'directory.sync'").getJsonObject(0).getString("mode"))
        .as("auto: the first scheduled sync is full").isEqualTo("full");
    var health = harness.one("SELECT health_status, health_latency_ms, health_checked_at FROM directories");
    assertThat(health.getString(0)).isEqualTo("up");
    assertThat(health.getInteger(1)).isNotNull();
    assertThat(meter(a, "authgate_directory_up{directory=\"corp\"}") + meter(b, "authgate_directory_up{directory=\"corp\"}"))
        .isEqualTo(1.0);
    assertThat(a.registry().scrape() + b.registry().scrape())
        .contains("authgate_sync_last_success_timestamp_seconds{directory=\"corp\"}")
        .contains("authgate_sync_entries_total{directory=\"corp\",outcome=\"created\"} 9.0");

    harness.slapd.stop();
    Job down = harness.run(NewJob.of(JobTypes.DIRECTORY_HEALTH, new JsonObject().put(JobTypes.DIRECTORY, "corp"), "t"));
    assertThat(down.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(down.result().getString("status")).isEqualTo("down");
    assertThat(harness.one("SELECT health_status FROM directories").getString(0)).isEqualTo("down");
  }

  @Test
  void aProcessRunningOnlyTheSyncWorkerServesHealthAndMetricsOnItsOpsPort() throws Exception {
    int port = io.authgate.core.testing.FreePorts.next();
    harness = SyncHarness.start("syncInterval: 0, healthInterval: 0, pollInterval: 200ms, opsPort: " + port);
    harness.startNode();
    assertThat(harness.run(fullSync()).status()).isEqualTo(JobStatus.SUCCEEDED);
    java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
    java.net.http.HttpResponse<String> metrics = http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/metrics")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.body()).contains("authgate_jobs_total{status=\"succeeded\",type=\"directory.sync\"} 1.0")
        .contains("authgate_sync_entries_total{directory=\"corp\",outcome=\"created\"} 9.0");
    java.net.http.HttpResponse<String> ready = http.send(java.net.http.HttpRequest.newBuilder(
        java.net.URI.create("http://127.0.0.1:" + port + "/health/ready")).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(ready.statusCode()).isEqualTo(200);
  }
}
