package io.authgate.core.runtime;

import io.authgate.core.cache.CredentialCache;
import io.authgate.core.cache.CredentialVerifier;
import io.authgate.core.config.AuthgateConfig;
import io.authgate.core.config.Role;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.lifecycle.BlockedAccounts;
import io.authgate.core.redis.RedisCommands;
import io.authgate.core.session.LocalSessionStore;
import io.authgate.core.session.RedisSessionStore;
import io.authgate.core.session.SessionStore;
import io.authgate.core.store.LastLogins;
import io.authgate.core.store.UserAccounts;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What every role of a process shares about signed-in users, one of each per process: the key that
 * names users, the credential cache, the sessions, and the view of blocked accounts. The gateway
 * signs users in with them; the admin API and the lifecycle jobs revoke, purge and block through
 * the same instances. Thread-safe.
 *
 * @param verifier derives user keys and credential verifiers
 * @param reachesGateways whether this process can name and reach the sessions and cached
 *     credentials the gateways made: with Redis, when every process derives the same user keys
 *     ({@code cache.hmacKey} is set); without Redis, when the gateway runs in this very process
 * @param credentials the credential cache
 * @param sessions where sessions live
 * @param blocked the accounts the store has suspended or deprovisioned
 * @param lastLogins sign-in times on their way to the store, or empty when this process has no store
 */
public record Accounts(CredentialVerifier verifier, boolean reachesGateways, CredentialCache credentials,
                       SessionStore sessions, BlockedAccounts blocked, Optional<LastLogins> lastLogins) {
  private static final Logger LOG = LoggerFactory.getLogger(Accounts.class);

  static Future<Accounts> start(Vertx vertx, AuthgateConfig config, MeterRegistry registry,
                                Optional<RedisCommands> redis, Broadcaster broadcaster, Optional<Pool> store) {
    CredentialVerifier verifier = config.cache().hmacKey().map(CredentialVerifier::withKey).orElseGet(() -> {
      if (redis.isPresent()) {
        LOG.warn("cache.hmacKey is not set: a random key is used, so this process shares no cached "
            + "credentials or failure memory with other gateways; set cache.hmacKey on every process");
      }
      return CredentialVerifier.withRandomKey();
    });
    boolean shared = redis.isPresent() ? config.cache().hmacKey().isPresent() : config.roles().contains(Role.GATEWAY);
    CredentialCache credentials = new CredentialCache(vertx, config.cache(), redis, broadcaster, registry);
    SessionStore sessions = redis
        .<SessionStore>map(r -> new RedisSessionStore(vertx, r, config.session(), broadcaster, registry))
        .orElseGet(() -> new LocalSessionStore(config.session(), registry));
    Optional<LastLogins> lastLogins = store.map(pool -> new LastLogins(vertx, new UserAccounts(pool),
        LastLogins.DEFAULT_INTERVAL));
    return BlockedAccounts.start(vertx, store, BlockedAccounts.DEFAULT_REFRESH)
        .map(blocked -> new Accounts(verifier, shared, credentials, sessions, blocked, lastLogins));
  }

  /** Stops the background work of the sessions and the blocked view, and writes the sign-in times left. */
  Future<Void> close() {
    return Future.join(sessions.close(), blocked.close(),
        lastLogins.map(LastLogins::close).orElse(Future.succeededFuture())).mapEmpty();
  }
}
