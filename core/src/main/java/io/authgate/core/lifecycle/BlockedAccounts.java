package io.authgate.core.lifecycle;

import io.authgate.core.events.Addresses;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.store.AccountStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's view of the directory accounts the store has suspended or deprovisioned, which
 * gateways refuse even when the directory accepts their password. Read from the store at start and
 * again every refresh interval; in between, kept current by lifecycle events from every process
 * ({@link Addresses#ACCOUNT_STATE}), so a suspension is seen everywhere at once and a lost event is
 * mended at the next refresh. A lookup is a hash-set probe, no I/O. Without a store the view holds
 * only what events told it. Thread-safe.
 */
public final class BlockedAccounts {
  /** The default time between two reads of the whole view from the store. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(BlockedAccounts.class);
  private static final String BLOCKED = """
      SELECT d.name, u.username FROM users u JOIN resources r ON r.id = u.resource_id
      JOIN directories d ON d.id = u.directory_id
      WHERE u.status IN ('suspended', 'deprovisioned') AND NOT r.deleted""";

  private final Vertx vertx;
  private final Optional<Pool> store;
  private volatile Set<String> blocked = ConcurrentHashMap.newKeySet();
  /** Events seen while a read of the store is in flight, applied again to what it reads (it may predate them). */
  private volatile Queue<JsonObject> duringReload;
  private final MessageConsumer<String> events;
  private final MessageConsumer<String> resyncs;
  private final long timer;

  private BlockedAccounts(Vertx vertx, Optional<Pool> store, Duration refresh) {
    this.vertx = vertx;
    this.store = store;
    this.events = vertx.eventBus().localConsumer(Addresses.ACCOUNT_STATE, m -> apply(m.body()));
    this.resyncs = vertx.eventBus().localConsumer(Addresses.EVENTS_RESYNC, m -> reload());
    this.timer = store.isEmpty() ? -1 : vertx.setPeriodic(refresh.toMillis(), refresh.toMillis(), t -> reload());
  }

  /**
   * @param store where account states live, or empty
   * @param refresh how often the whole view is read again
   * @return the view, once read from the store for the first time
   */
  public static Future<BlockedAccounts> start(Vertx vertx, Optional<Pool> store, Duration refresh) {
    BlockedAccounts view = new BlockedAccounts(vertx, store, refresh);
    return view.reload().map(view);
  }

  /** @return whether the account of this directory and login name is suspended or deprovisioned */
  public boolean isBlocked(String directory, String username) {
    return !blocked.isEmpty() && blocked.contains(key(directory, username));
  }

  /**
   * Tells every process (this one included) of an account's new status.
   *
   * @param directory the account's directory
   * @param username its login name
   */
  public static Future<Void> announce(Broadcaster broadcaster, String directory, String username,
                                      AccountStatus status) {
    return broadcaster.publish(Addresses.ACCOUNT_STATE,
        new JsonObject().put("d", directory).put("u", username).put("s", status.id()).encode());
  }

  private void apply(String body) {
    try {
      JsonObject event = new JsonObject(body);
      apply(blocked, event);
      Queue<JsonObject> racing = duringReload;
      if (racing != null) {
        racing.add(event);
      }
    } catch (RuntimeException e) {
      LOG.warn("ignoring an unreadable account state event");
    }
  }

  private static void apply(Set<String> view, JsonObject event) {
    String key = key(event.getString("d"), event.getString("u"));
    if (LifecycleRules.blocks(AccountStatus.of(event.getString("s")))) {
      view.add(key);
    } else {
      view.remove(key);
    }
  }

  /** Reads the whole view from the store and replaces this one, keeping the events that raced the read. */
  Future<Void> reload() {
    if (store.isEmpty() || duringReload != null) {
      return Future.succeededFuture();
    }
    Queue<JsonObject> racing = new ConcurrentLinkedQueue<>();
    duringReload = racing;
    return store.get().query(BLOCKED).execute().map(rows -> {
      Set<String> read = ConcurrentHashMap.newKeySet(Math.max(16, rows.size() * 2));
      rows.forEach(row -> read.add(key(row.getString(0), row.getString(1))));
      racing.forEach(event -> apply(read, event));
      blocked = read;
      // An event applied to the old view between the loop above and the swap is applied again here.
      racing.forEach(event -> apply(read, event));
      return (Void) null;
    }).recover(e -> {
      LOG.warn("could not read blocked accounts, keeping the last view: {}", e.toString());
      return Future.succeededFuture();
    }).onComplete(done -> duringReload = null);
  }

  /** @return the number of accounts the view blocks */
  public int size() {
    return blocked.size();
  }

  /** Stops listening and refreshing. */
  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return Future.join(events.unregister(), resyncs.unregister()).mapEmpty();
  }

  private static String key(String directory, String username) {
    return directory + '\u0000' + username.toLowerCase(Locale.ROOT);
  }
}
