package io.authgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.authgate.core.jobs.JobTypes;
import io.authgate.core.testing.FreePorts;
import io.authgate.core.testing.InMemoryLdap;
import io.authgate.core.testing.TestServices;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The jar with every role against a real OpenLDAP: an admin asks for a sync through the admin API,
 * a sync worker runs it, the directory's people appear as accounts, and the lifecycle applies to them.
 */
class SyncThroughAdminApiIT extends JarClient {
  private static final String ADMIN_KEY = "agk_fedcba9876543210fedcba9876543210_sync-it-bootstrap-key-0123456789abc";

  @TempDir
  Path workDir;

  private static HttpResponse<Buffer> send(int port, String method, String path, JsonObject body) {
    var request = http.request(io.vertx.core.http.HttpMethod.valueOf(method), port, "127.0.0.1", "/admin/v1" + path)
        .bearerTokenAuthentication(ADMIN_KEY);
    return (body == null ? request.send() : request.sendJsonObject(body)).await();
  }

  private static JsonObject admin(int port, String method, String path, JsonObject body) {
    HttpResponse<Buffer> response = send(port, method, path, body);
    assertThat(response.statusCode()).as(method + " " + path + ": " + response.bodyAsString()).isLessThan(300);
    return response.bodyAsJsonObject();
  }

  private static JsonObject finished(int port, JsonObject job) throws InterruptedException {
    long deadline = System.currentTimeMillis() + 60_000;
    while (!JOB_DONE.contains(job.getString("status")) && System.currentTimeMillis() < deadline) {
      Thread.sleep(200);
      job = admin(port, "GET", "/jobs/" + job.getString("id"), null);
    }
    return job;
  }

  private static final java.util.Set<String> JOB_DONE = java.util.Set.of("succeeded", "failed", "cancelled");

  @Test
  void aSyncAskedThroughTheAdminApiBringsTheDirectorysPeopleIntoTheStore() throws Exception {
    int port = FreePorts.next();
    int adminPort = FreePorts.next();
    Map<String, String> env = slapdEnvironment();
    env.put("AUTHGATE_POSTGRES_URL", TestServices.freshDatabase());
    env.put("AUTHGATE_HTTP_PORT", Integer.toString(port));
    env.put("AUTHGATE_ADMIN_PORT", Integer.toString(adminPort));
    env.put("AUTHGATE_ADMIN_BOOTSTRAP_KEY", ADMIN_KEY);
    env.put("AUTHGATE_STORE_MASTER_KEY", "c3luYy1pdC1tYXN0ZXIta2V5LTMyLWJ5dGVzLWxvbmc=");
    try (ServerProcess server = ServerProcess.start(workDir, env); InMemoryLdap partnerLdap = InMemoryLdap.start()) {
      server.awaitOutput("Press Ctrl-C to stop.", 120);
      String directory = admin(adminPort, "GET", "/directories", null).getJsonArray("items").stream()
          .map(JsonObject.class::cast).filter(d -> d.getString("name").equals("default")).findFirst().orElseThrow()
          .getString("id");

      // The scheduler syncs each directory at start: while that sync is queued or running, another waits (409).
      HttpResponse<Buffer> asked = send(adminPort, "POST", "/directories/" + directory + "/sync",
          new JsonObject().put("mode", "full"));
      if (asked.statusCode() == 409) {
        // The directory's health check is scheduled at start too, and may be the newest of its jobs.
        JsonObject live = admin(adminPort, "GET", "/jobs?directory=default&type=" + JobTypes.DIRECTORY_SYNC, null)
            .getJsonArray("items").getJsonObject(0);
        assertThat(finished(adminPort, live).getString("status")).isEqualTo("succeeded");
        asked = send(adminPort, "POST", "/directories/" + directory + "/sync", new JsonObject().put("mode", "full"));
      }
      assertThat(asked.statusCode()).as(asked.bodyAsString()).isEqualTo(202);
      JsonObject job = finished(adminPort, asked.bodyAsJsonObject());
      assertThat(job.getString("status")).as(job.encode()).isEqualTo("succeeded");
      assertThat(job.getJsonObject("result")).as(job.encode()).isNotNull();

      JsonObject bob = admin(adminPort, "GET", "/users?directory=default&q=bob", null).getJsonArray("items").stream()
          .map(JsonObject.class::cast).filter(u -> u.getString("username").equals("bob")).findFirst().orElseThrow();
      assertThat(bob.getString("provisioningMethod")).isEqualTo("ldap_sync");
      assertThat(bob.getString("status")).isEqualTo("active");

      // A directory created through the admin API is synced too, without a restart.
      partnerLdap.server().add("dn: uid=partner1,ou=people,dc=example,dc=org", "objectClass: inetOrgPerson",
          "uid: partner1", "cn: Pat Partner", "sn: Partner", "mail: pat@partners.example");
      JsonObject partners = admin(adminPort, "POST", "/directories", new JsonObject().put("name", "partners")
          .put("urls", new io.vertx.core.json.JsonArray().add(partnerLdap.url())).put("baseDn", "dc=example,dc=org")
          .put("bindDn", InMemoryLdap.SERVICE_DN).put("bindPassword", InMemoryLdap.SERVICE_PASSWORD)
          .put("userFilter", "(uid={username})").put("emailDomains", new io.vertx.core.json.JsonArray()
              .add("partners.example")));
      HttpResponse<Buffer> partnerSync = send(adminPort, "POST", "/directories/" + partners.getString("id") + "/sync",
          new JsonObject().put("mode", "full"));
      if (partnerSync.statusCode() == 409) {
        // The new directory's schedule may have fired first.
        JsonObject live = admin(adminPort, "GET", "/jobs?directory=partners", null).getJsonArray("items")
            .getJsonObject(0);
        assertThat(finished(adminPort, live).getString("status")).isEqualTo("succeeded");
        partnerSync = send(adminPort, "POST", "/directories/" + partners.getString("id") + "/sync",
            new JsonObject().put("mode", "full"));
      }
      assertThat(partnerSync.statusCode()).as(partnerSync.bodyAsString()).isEqualTo(202);
      JsonObject partnerJob = finished(adminPort, partnerSync.bodyAsJsonObject());
      assertThat(partnerJob.getString("status")).as(partnerJob.encode()).isEqualTo("succeeded");
      // The people both directories hold (bob, ...) are conflicts, reported and left alone; partner1 is new.
      assertThat(partnerJob.getJsonObject("result").getLong("conflicted")).as(partnerJob.encode()).isPositive();
      JsonObject partner = admin(adminPort, "GET", "/users?directory=partners&q=partner1", null)
          .getJsonArray("items").getJsonObject(0);
      assertThat(partner.getString("username")).isEqualTo("partner1");
      assertThat(partner.getString("provisioningMethod")).isEqualTo("ldap_sync");
      assertThat(admin(adminPort, "GET", "/users?directory=partners&q=bob", null).getJsonArray("items")).isEmpty();

      // The synced account's lifecycle applies at the gateway in the same process.
      assertThat(http.post(port, "127.0.0.1", "/v1/auth").basicAuthentication("bob", "bob-secret-1").send().await()
          .statusCode()).isEqualTo(200);
      admin(adminPort, "POST", "/users/" + bob.getString("id") + "/lifecycle/transition",
          new JsonObject().put("to", "suspended").put("reason", "sync IT"));
      assertThat(http.post(port, "127.0.0.1", "/v1/auth").basicAuthentication("bob", "bob-secret-1").send().await()
          .statusCode()).isEqualTo(401);
    }
  }
}
