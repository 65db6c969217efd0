package io.authgate.loadtests;

import static io.gatling.javaapi.core.CoreDsl.constantUsersPerSec;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.core.CoreDsl.scenario;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ScenarioBuilder;
import io.gatling.javaapi.core.Simulation;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The uncached path: every request logs in a different user, each used once, so every request is a
 * real LDAP search-then-bind (plus the group lookup the directory is configured with). The feeder
 * walks {@code user<first.user>} .. {@code user<first.user + users - 1>}; {@code -Dusers} defaults
 * to exactly the number of requests the run injects ({@code rate * duration}) and may not be
 * smaller. The users must not have logged in within the cache's freshness window (five minutes by
 * default) or they come from the cache and fail the check: against a gateway that already served
 * these users, move the range with {@code -Dfirst.user}.
 *
 * <p>Checks: HTTP 200 and {@code source == "ldap"}. Assertions: see
 * {@link LoadSettings#assertionList()}. Defaults: 1100 req/s for 60 s against
 * {@code http://127.0.0.1:8080}; see {@link LoadSettings} for every property.
 */
public class UncachedAuthSimulation extends Simulation {
  private static final double DEFAULT_RATE = 1100;
  private static final int DEFAULT_DURATION = 60;

  private final LoadSettings settings = LoadSettings.read(DEFAULT_RATE, DEFAULT_DURATION, defaultUsers());

  private final Iterator<Map<String, Object>> feeder = new Iterator<>() {
    private final AtomicLong next = new AtomicLong(settings.firstUser);
    private final long end = settings.firstUser + settings.users;

    @Override
    public boolean hasNext() {
      return next.get() < end;
    }

    @Override
    public Map<String, Object> next() {
      long number = next.getAndIncrement();
      if (number >= end) {
        throw new NoSuchElementException("all " + settings.users + " users have been used");
      }
      return Map.of("username", settings.username(number));
    }
  };

  private final ScenarioBuilder scenario = scenario("uncached logins")
      .feed(feeder)
      .exec(settings.authRequest("POST /v1/auth (uncached)")
          .check(status().is(200))
          .check(jsonPath("$.source").is("ldap")));

  {
    if (settings.users < settings.plannedRequests()) {
      throw new IllegalArgumentException("-Dusers=" + settings.users + " is fewer than the "
          + settings.plannedRequests() + " requests of " + settings.rate + " req/s for " + settings.durationSeconds
          + " s; every request needs a user of its own");
    }
    System.out.println(settings.describe("UncachedAuthSimulation"));
    setUp(scenario.injectOpen(constantUsersPerSec(settings.rate).during(settings.durationSeconds)))
        .protocols(settings.protocol())
        .assertions(settings.assertionList());
  }

  /** Fails fast when the gateway is not ready. */
  @Override
  public void before() {
    settings.requireReady(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build());
  }

  private static int defaultUsers() {
    double rate = Double.parseDouble(System.getProperty("rate", Double.toString(DEFAULT_RATE)));
    int duration = Integer.parseInt(System.getProperty("duration", Integer.toString(DEFAULT_DURATION)));
    return (int) Math.ceil(rate * duration);
  }
}
