package io.authgate.core.lifecycle;

import io.authgate.core.events.Addresses;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.store.AccountStatus;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.Optional;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process's view of the directory accounts the store has suspended or deprovisioned, which
 * gateways refuse even when the directory accepts their password. Read whole from the store at start
 * and every {@link #FULL_READ_EVERY}; kept current at once by lifecycle events from every process
 * ({@link Addresses#ACCOUNT_STATE}); and every refresh interval, the accounts changed since the last
 * read ({@code users.updated_at}, which every status change moves) are read again, so a lost event
 * is mended within that interval without reading every blocked account each time. A lookup is a
 * hash-set probe, no I/O. Without a store the view holds only what events told it. Thread-safe.
 */
public final class BlockedAccounts {
  /** The default time between two reads of the whole view from the store. */
  public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(30);
  private static final Logger LOG = LoggerFactory.getLogger(BlockedAccounts.class);
  /** How often the whole view is read again, whatever the events and catch-ups said. */
  public static final Duration FULL_READ_EVERY = Duration.ofMinutes(10);
  /**
   * How far back a catch-up reads before the last one's newest change: a transaction stamps
   * {@code updated_at} when it starts and is seen when it commits, so a read must overlap the
   * transactions still open at the previous one.
   */
  static final Duration OVERLAP = Duration.ofSeconds(60);
  private static final String BLOCKED = """
      SELECT d.name, u.username, now() AS read_at FROM users u JOIN resources r ON r.id = u.resource_id
      JOIN directories d ON d.id = u.directory_id
      WHERE u.status IN ('suspended', 'deprovisioned') AND NOT r.deleted""";
  private static final String NOW = "SELECT now()";
  private static final String CHANGED = """
      SELECT d.name, u.username, u.status IN ('suspended', 'deprovisioned') AND NOT r.deleted AS blocked,
             u.updated_at
      FROM users u JOIN resources r ON r.id = u.resource_id JOIN directories d ON d.id = u.directory_id
      WHERE u.updated_at >= $1""";

  private final Vertx vertx;
  private final Optional<Pool> store;
  private volatile Set<String> blocked = ConcurrentHashMap.newKeySet();
  /** Events seen while a read of the store is in flight, applied again to what it reads (it may predate them). */
  private volatile Queue<JsonObject> duringReload;
  private final MessageConsumer<String> events;
  private final MessageConsumer<String> resyncs;
  private final long timer;
  private final long fullTimer;
  /** Where the next catch-up reads from: the store's clock at the last read, less {@link #OVERLAP}. */
  private volatile OffsetDateTime readFrom;

  private BlockedAccounts(Vertx vertx, Optional<Pool> store, Duration refresh) {
    this.vertx = vertx;
    this.store = store;
    this.events = vertx.eventBus().localConsumer(Addresses.ACCOUNT_STATE, m -> apply(m.body()));
    this.resyncs = vertx.eventBus().localConsumer(Addresses.EVENTS_RESYNC, m -> reload());
    this.timer = store.isEmpty() ? -1 : vertx.setPeriodic(refresh.toMillis(), refresh.toMillis(), t -> catchUp());
    this.fullTimer = store.isEmpty() ? -1
        : vertx.setPeriodic(FULL_READ_EVERY.toMillis(), FULL_READ_EVERY.toMillis(), t -> reload());
  }

  /**
   * @param store where account states live, or empty
   * @param refresh how often the accounts changed since the last read are read again
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
    return read(() -> store.get().query(BLOCKED).execute().map(rows -> {
      Set<String> read = ConcurrentHashMap.newKeySet(Math.max(16, rows.size() * 2));
      rows.forEach(row -> read.add(key(row.getString(0), row.getString(1))));
      return read;
    }));
  }

  /**
   * Reads the accounts changed since the last read and applies their status: what a lost event
   * would have said.
   */
  Future<Void> catchUp() {
    OffsetDateTime from = readFrom;
    if (from == null) {
      return reload();
    }
    return read(() -> store.get().preparedQuery(CHANGED).execute(Tuple.of(from)).map(rows -> {
      Set<String> view = blocked;
      rows.forEach(row -> {
        String key = key(row.getString("name"), row.getString("username"));
        if (row.getBoolean("blocked")) {
          view.add(key);
        } else {
          view.remove(key);
        }
      });
      return view;
    }));
  }

  /**
   * One read of the store at a time: notes the store's clock for the next catch-up, runs the read,
   * installs the view it gives, then applies again the events that arrived meanwhile (the read may
   * predate them).
   */
  private Future<Void> read(Supplier<Future<Set<String>>> query) {
    if (store.isEmpty() || duringReload != null) {
      return Future.succeededFuture();
    }
    Queue<JsonObject> racing = new ConcurrentLinkedQueue<>();
    duringReload = racing;
    return store.get().query(NOW).execute()
        .compose(now -> query.get().map(view -> {
          racing.forEach(event -> apply(view, event));
          blocked = view;
          // An event applied to the old view between the loop above and the swap is applied again here.
          racing.forEach(event -> apply(view, event));
          readFrom = now.iterator().next().getOffsetDateTime(0).minus(OVERLAP);
          return (Void) null;
        }))
        .recover(e -> {
          LOG.warn("could not read blocked accounts, keeping the last view: {}", e.toString());
          return Future.succeededFuture();
        })
        .onComplete(done -> duringReload = null);
  }

  /** @return the number of accounts the view blocks */
  public int size() {
    return blocked.size();
  }

  /** Stops listening and refreshing. */
  public Future<Void> close() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
      vertx.cancelTimer(fullTimer);
    }
    return Future.join(events.unregister(), resyncs.unregister()).mapEmpty();
  }

  private static String key(String directory, String username) {
    return directory + '\u0000' + username.toLowerCase(Locale.ROOT);
  }
}
