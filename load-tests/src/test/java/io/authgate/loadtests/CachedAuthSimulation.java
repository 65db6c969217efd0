package io.authgate.loadtests;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The cached path: a small fixed set of users ({@code -Dusers}, default 100) post their correct
 * passwords at a constant arrival rate, so after the warm-up every request should be answered from
 * the credential cache (in-process L1, or Redis L2) without touching LDAP. Each user is
 * authenticated once in {@link #before()}, outside Gatling's statistics, so the measured requests
 * are cache hits from the first one (as long as the run is shorter than the cache's freshness, five
 * minutes by default; past it some requests go back to LDAP, which is still a success).
 *
 * <p>Checks: HTTP 200 and {@code authenticated == true}. Assertions: see
 * {@link LoadSettings#assertionList()}. Defaults: 1100 req/s for 60 s against
 * {@code http://127.0.0.1:8080}; see {@link LoadSettings} for every property.
 */
public class CachedAuthSimulation extends Simulation {
  private final LoadSettings settings = LoadSettings.read(1100, 60, 100);

  private final Iterator<Map<String, Object>> feeder = Stream.generate(
          () -> Map.<String, Object>of("username",
              settings.username(settings.firstUser + ThreadLocalRandom.current().nextInt(settings.users))))
      .iterator();

  private final ScenarioBuilder scenario = scenario("cached logins")
      .feed(feeder)
      .exec(settings.authRequest("POST /v1/auth (cached)")
          .check(status().is(200))
          .check(jsonPath("$.authenticated").ofBoolean().is(true)));

  {
    System.out.println(settings.describe("CachedAuthSimulation"));
    setUp(scenario.injectOpen(constantUsersPerSec(settings.rate).during(settings.durationSeconds)))
        .protocols(settings.protocol())
        .assertions(settings.assertionList());
  }

  /** Checks the gateway is ready, then logs every user in once so the measured run starts warm. */
  @Override
  public void before() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    settings.requireReady(client);
    int failures = 0;
    String lastFailure = "";
    for (int i = 0; i < settings.users; i++) {
      String username = settings.username(settings.firstUser + i);
      HttpRequest request = settings.plainAuthRequest(username);
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
          failures++;
          lastFailure = username + " -> " + response.statusCode() + " " + response.body();
        }
      } catch (IOException e) {
        failures++;
        lastFailure = username + " -> " + e;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while warming the cache", e);
      }
    }
    if (failures > 0) {
      throw new IllegalStateException("cache warm-up: " + failures + " of " + settings.users
          + " users could not log in (last: " + lastFailure + "); check -Dusers, -Dpassword and the directory");
    }
    System.out.println("cache warm-up: " + settings.users + " users logged in once");
  }
}
