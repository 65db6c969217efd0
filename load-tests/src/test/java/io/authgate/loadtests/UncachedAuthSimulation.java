package io.authgate.loadtests;

import static io.gatling.javaapi.core.CoreDsl.feed;
import static io.gatling.javaapi.core.CoreDsl.jsonPath;
import static io.gatling.javaapi.http.HttpDsl.status;

import io.gatling.javaapi.core.ChainBuilder;
import io.gatling.javaapi.core.Simulation;
import io.gatling.javaapi.http.HttpRequestActionBuilder;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The uncached path: every request logs in a different user, each used once, so every request is a
 * real LDAP search-then-bind (plus the group lookup the directory is configured with). The feeder
 * walks {@code user<first.user>} .. {@code user<first.user + users - 1>}. The users must not have
 * logged in within the cache's freshness window (five minutes by default) or they come from the
 * cache and fail the check: against a gateway that already served these users, move the range
 * with {@code -Dfirst.user}.
 *
 * <p>Two modes ({@code -Dmode}, see {@link LoadSettings}):
 *
 * <ul>
 *   <li>{@code rate} (default): an open model at {@code -Drate} logins a second (default 1100) for
 *       {@code -Dduration} seconds; {@code -Dusers} defaults to exactly the number of requests
 *       ({@code rate * (warmup + duration)}) and may not be smaller;
 *   <li>{@code capacity}: a closed model, {@code -Dconcurrency} virtual users (default 20, the
 *       gateway's default LDAP pool size and the benchmark's authrate thread count) each sending
 *       the next login as soon as the previous one is answered: the maximum throughput. How many
 *       requests that is cannot be known in advance, so {@code -Dusers} defaults to
 *       10,000 per second of load (warm-up included); if the users run out, Gatling stops the run
 *       early (and says "Feeder is now empty").
 * </ul>
 *
 * <p>Checks: HTTP 200 and {@code source == "ldap"}. Assertions: see
 * {@link LoadSettings#assertionList()}. Other defaults: 60 s against
 * {@code http://127.0.0.1:8080}; see {@link LoadSettings} for every property.
 */
public class UncachedAuthSimulation extends Simulation {
  private static final double DEFAULT_RATE = 1100;
  private static final int DEFAULT_CONCURRENCY = 20;
  private static final int DEFAULT_DURATION = 60;
  /** Capacity mode: users reserved per second of load when {@code -Dusers} is absent. */
  private static final int CAPACITY_USERS_PER_SECOND = 15_000;

  private final LoadSettings settings =
      LoadSettings.read(DEFAULT_RATE, DEFAULT_CONCURRENCY, DEFAULT_DURATION, defaultUsers());

  private final AtomicLong next = new AtomicLong(settings.firstUser);
  private final long end = settings.firstUser + settings.users;

  private final Iterator<Map<String, Object>> feeder = new Iterator<>() {
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

  private ChainBuilder login(boolean silent) {
    HttpRequestActionBuilder request = settings.authRequest("POST /v1/auth (uncached)")
        .check(status().is(200))
        .check(jsonPath("$.source").is("ldap"));
    return feed(feeder).exec(silent ? request.silent() : request);
  }

  {
    if (settings.mode == LoadSettings.Mode.RATE && settings.users < settings.plannedRequests()) {
      throw new IllegalArgumentException("-Dusers=" + settings.users + " is fewer than the "
          + settings.plannedRequests() + " requests of " + settings.rate + " req/s for "
          + (settings.warmupSeconds + settings.durationSeconds) + " s (warm-up included); every request needs a"
          + " user of its own");
    }
    System.out.println(settings.describe("UncachedAuthSimulation"));
    setUp(settings.population("uncached logins", this::login))
        .protocols(settings.protocol())
        .assertions(settings.assertionList());
  }

  /** Fails fast when the gateway is not ready. */
  @Override
  public void before() {
    settings.requireReady(settings.client);
  }

  /** Says how many of the users the run consumed, so a too-small range shows. */
  @Override
  public void after() {
    LoadSettings.window("end");
    long used = Math.min(next.get(), end) - settings.firstUser;
    System.out.println("BENCH-USERS used " + used + " of " + settings.users);
    if (settings.mode == LoadSettings.Mode.CAPACITY && used >= settings.users) {
      System.out.println("BENCH-WARNING all " + settings.users + " users were used: the run may have stopped"
          + " early; give it more users (-Dusers)");
    }
  }

  private static int defaultUsers() {
    int duration = Integer.parseInt(System.getProperty("duration", Integer.toString(DEFAULT_DURATION)))
        + Integer.parseInt(System.getProperty("warmup", "0"));
    if (LoadSettings.mode() == LoadSettings.Mode.CAPACITY) {
      return CAPACITY_USERS_PER_SECOND * duration;
    }
    double rate = Double.parseDouble(System.getProperty("rate", Double.toString(DEFAULT_RATE)));
    return (int) Math.ceil(rate * duration);
  }
}
