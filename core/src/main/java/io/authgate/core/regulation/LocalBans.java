package io.authgate.core.regulation;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import io.authgate.core.events.Addresses;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.metrics.MetricNames;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;

/**
 * This process's view of active bans: filled by local decisions and by bans other processes
 * broadcast, each entry expiring when its ban does. Thread-safe.
 */
final class LocalBans {
  private final Cache<String, Long> bans = Caffeine.newBuilder()
      .maximumSize(1_000_000)
      .executor(Runnable::run)
      .expireAfter(Expiry.<String, Long>writing((key, until) ->
          Duration.ofMillis(Math.max(0, until - System.currentTimeMillis()))))
      .build();
  private final Broadcaster broadcaster;
  private final Counter userBans;
  private final Counter userAddressBans;

  LocalBans(Vertx vertx, Broadcaster broadcaster, MeterRegistry registry) {
    this.broadcaster = broadcaster;
    this.userBans = counter(registry, "user");
    this.userAddressBans = counter(registry, "user_ip");
    vertx.eventBus().<String>localConsumer(Addresses.REGULATION_BANNED, m -> {
      int bar = m.body().lastIndexOf('|');
      if (bar > 0) {
        bans.put(m.body().substring(0, bar), Long.parseLong(m.body().substring(bar + 1)));
      }
    });
  }

  /** @return whether the user, or the user from this address, is banned */
  boolean covers(String userKey, String address) {
    return contains(userKey) || contains(Regulator.userAddressKey(userKey, address));
  }

  boolean contains(String key) {
    Long until = bans.getIfPresent(key);
    return until != null && until > System.currentTimeMillis();
  }

  /** Records a new ban here, counts it, and tells every process. */
  Future<Void> ban(String key, boolean userScope, long until) {
    bans.put(key, until);
    (userScope ? userBans : userAddressBans).increment();
    return broadcaster.publish(Addresses.REGULATION_BANNED, key + "|" + until);
  }

  private static Counter counter(MeterRegistry registry, String scope) {
    return Counter.builder(MetricNames.REGULATION_BANS).description("Bans imposed after repeated failures")
        .tag(MetricNames.SCOPE, scope).register(registry);
  }
}
