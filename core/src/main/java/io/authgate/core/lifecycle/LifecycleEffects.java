package io.authgate.core.lifecycle;

import io.authgate.core.events.Broadcaster;
import io.authgate.core.runtime.Accounts;
import io.authgate.core.store.UserQueries.Details;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The side effects of a committed lifecycle change, run as handlers of the transition, in order:
 * every process is told the account's new status (its gateways refuse a suspended or
 * deprovisioned account from then on, whatever the directory says); a suspended or deprovisioned
 * account's sessions are revoked and its cached credentials purged, on every process. A failing
 * handler is logged and does not stop the others: the change itself is committed, and the
 * gateways' blocked view is read from the store again within its refresh interval. Thread-safe.
 */
public final class LifecycleEffects {
  private static final Logger LOG = LoggerFactory.getLogger(LifecycleEffects.class);

  /** One side effect of a transition. */
  @FunctionalInterface
  public interface Handler {
    /** @return how many sessions the handler ended (0 for other effects) */
    Future<Integer> handle(Transition transition);
  }

  private final List<Handler> handlers;

  /**
   * @param accounts the process's sessions, credential cache and user keys
   * @param broadcaster tells every process
   * @param keys names the account's sessions and cached credentials
   */
  public LifecycleEffects(Accounts accounts, Broadcaster broadcaster, AccountKeys keys) {
    Handler announce = t -> t.after().directory() == null ? Future.succeededFuture(0)
        : BlockedAccounts.announce(broadcaster, t.after().directory(), t.after().username(), t.to()).map(0);
    Handler revoke = t -> {
      if (!blocking(t)) {
        return Future.succeededFuture(0);
      }
      if (!accounts.reachesGateways()) {
        LOG.warn("the sessions of {} cannot be reached from this process (without Redis, only the gateway's own "
            + "process can; with Redis, cache.hmacKey must be set); the gateways refuse them through the blocked-account "
            + "view", t.after().id());
        return Future.succeededFuture(0);
      }
      return keys.sessionKeys(t.after()).compose(accounts.sessions()::revokeAll);
    };
    Handler purge = t -> {
      String key = keys.directoryKey(t.after());
      return !blocking(t) || key == null || !accounts.reachesGateways() ? Future.succeededFuture(0)
          : accounts.credentials().purge(key).map(0);
    };
    this.handlers = List.of(announce, revoke, purge);
  }

  private static boolean blocking(Transition transition) {
    return LifecycleRules.blocks(transition.to());
  }

  /**
   * Runs every handler of a committed change.
   *
   * @return how many sessions were ended; never fails
   */
  public Future<Integer> apply(Transition transition) {
    List<Future<Integer>> results = new ArrayList<>();
    for (Handler handler : handlers) {
      results.add(handler.handle(transition).recover(e -> {
        Details account = transition.after();
        LOG.warn("a side effect of moving {} to {} failed: {}", account.id(), transition.to().id(), e.toString());
        return Future.succeededFuture(0);
      }));
    }
    return Future.join(results).map(all -> results.stream().mapToInt(f -> f.result() == null ? 0 : f.result()).sum());
  }
}
