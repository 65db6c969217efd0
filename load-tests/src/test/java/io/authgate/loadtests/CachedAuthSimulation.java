package io.authgate.loadtests;

import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * The cached path: a small fixed set of users ({@code -Dusers}, default 100) post their correct
 * passwords again and again, each request picking one of them at random, so every request should
 * be answered from the credential cache (in-process L1, or Redis L2) without touching LDAP. Unless
 * {@code -Dprewarm=false} (bench.sh pre-warms the cache itself, as a phase of its own), each user is
 * authenticated once in {@link #before()}, outside Gatling's statistics, so the measured requests
 * are cache hits from the first one (as long as the cache entries are younger than the cache's
 * freshness, five minutes by default; past it some requests go back to LDAP, which is still a
 * success).
 *
 * <p>Two modes ({@code -Dmode}, see {@link LoadSettings}): {@code rate} (default), an open model at
 * {@code -Drate} logins a second (default 1000), for the latency at a given load; {@code capacity},
 * a closed model of {@code -Dconcurrency} virtual users (default 64) each sending the next login as
 * soon as the previous one is answered, for the maximum throughput.
 *
 * <p>Checks: HTTP 200 and {@code authenticated == true}. Assertions: see
 * {@link LoadSettings#assertionList()}. Other defaults: 60 s against {@code http://127.0.0.1:8080};
 * see {@link LoadSettings} for every property.
 */
public class CachedAuthSimulation extends Simulation {
  private final LoadSettings settings = LoadSettings.read(1000, 64, 60, 100);
  private final boolean prewarm = Boolean.parseBoolean(System.getProperty("prewarm", "true"));

  private final Iterator<Map<String, Object>> feeder = Stream.generate(
          () -> Map.<String, Object>of("username",
              settings.username(settings.firstUser + ThreadLocalRandom.current().nextInt(settings.users))))
      .iterator();

  private ChainBuilder login(boolean silent) {
    HttpRequestActionBuilder request = settings.authRequest("POST /v1/auth (cached)")
        .check(status().is(200))
        .check(jsonPath("$.authenticated").ofBoolean().is(true));
    return feed(feeder).exec(silent ? request.silent() : request);
  }

  {
    System.out.println(settings.describe("CachedAuthSimulation") + (prewarm ? "" : ", no pre-warm"));
    setUp(settings.population("cached logins", this::login))
        .protocols(settings.protocol())
        .assertions(settings.assertionList());
  }

  /** Checks the gateway is ready, then (unless -Dprewarm=false) logs every user in once. */
  @Override
  public void before() {
    settings.requireReady(settings.client);
    if (prewarm) {
      prewarm(settings.client);
    }
  }

  @Override
  public void after() {
    LoadSettings.window("end");
  }

  private void prewarm(HttpClient client) {
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
