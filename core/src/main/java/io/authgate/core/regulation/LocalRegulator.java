package io.authgate.core.regulation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.authgate.core.config.RegulationConfig;
import io.authgate.core.events.Broadcaster;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Regulation within one process: for deployments without Redis, and inside {@link RedisRegulator}
 * for the failures Redis could not take. Thread-safe.
 */
public final class LocalRegulator implements Regulator {
  private static final HexFormat HEX = HexFormat.of();
  private final RegulationConfig config;
  private final LocalBans bans;
  /** Scope key to (verifier to time of its last failure). */
  private final Cache<String, Map<String, Long>> failures;

  /**
   * @param vertx whose event bus carries bans
   * @param config thresholds
   * @param broadcaster tells other listeners of bans
   * @param registry where {@code authgate_regulation_bans_total} goes
   */
  public LocalRegulator(Vertx vertx, RegulationConfig config, Broadcaster broadcaster, MeterRegistry registry) {
    this(config, new LocalBans(vertx, broadcaster, registry));
  }

  /**
   * @param config thresholds
   * @param bans this process's bans, shared with the regulator this one stands in for
   */
  LocalRegulator(RegulationConfig config, LocalBans bans) {
    this.config = config;
    this.bans = bans;
    this.failures = Caffeine.newBuilder().maximumSize(1_000_000).executor(Runnable::run)
        .expireAfterWrite(config.window()).build();
  }

  /** @return whether any failure may be on record here (a cheap test, before a lookup) */
  boolean holdsFailures() {
    return failures.estimatedSize() > 0;
  }

  @Override
  public boolean isBanned(String userKey, String address) {
    return bans.covers(userKey, address);
  }

  @Override
  public Future<Verdict> check(String userKey, String address, byte[] verifier) {
    if (isBanned(userKey, address)) {
      return Future.succeededFuture(Verdict.BANNED);
    }
    Map<String, Long> seen = failures.getIfPresent(userKey);
    if (seen != null) {
      long now = System.currentTimeMillis();
      synchronized (seen) {
        Long at = seen.get(HEX.formatHex(verifier));
        if (at != null && at > now - config.window().toMillis()) {
          seen.put(HEX.formatHex(verifier), now);
          return Future.succeededFuture(Verdict.REPEATED_FAILURE);
        }
      }
      return Future.succeededFuture(Verdict.ALLOW_AFTER_FAILURES);
    }
    boolean fromAddress = failures.getIfPresent(Regulator.userAddressKey(userKey, address)) != null;
    return Future.succeededFuture(fromAddress ? Verdict.ALLOW_AFTER_FAILURES : Verdict.ALLOW);
  }

  @Override
  public Future<Void> recordFailure(String userKey, String address, byte[] verifier) {
    long now = System.currentTimeMillis();
    String verifierHex = HEX.formatHex(verifier);
    List<Future<Void>> bansImposed = new ArrayList<>(2);
    String[] scopes = {userKey, Regulator.userAddressKey(userKey, address)};
    for (int i = 0; i < scopes.length; i++) {
      Map<String, Long> seen = failures.get(scopes[i], k -> new LinkedHashMap<>());
      int distinct;
      synchronized (seen) {
        seen.values().removeIf(at -> at <= now - config.window().toMillis());
        seen.put(verifierHex, now);
        distinct = seen.size();
      }
      failures.put(scopes[i], seen);
      if (distinct >= config.maxFailures() && !bans.contains(scopes[i])) {
        bansImposed.add(bans.ban(scopes[i], i == 0, now + config.banDuration().toMillis()));
      }
    }
    return Future.all(bansImposed).mapEmpty();
  }

  @Override
  public Future<Void> recordSuccess(String userKey, String address) {
    failures.invalidate(userKey);
    failures.invalidate(Regulator.userAddressKey(userKey, address));
    return Future.succeededFuture();
  }
}
