package io.authgate.gateway.directories;

import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.directory.Directory;
import io.authgate.core.directory.DirectoryRouter;
import io.authgate.core.directory.GuardedDirectory;
import io.authgate.core.directory.ldap.LdapDirectory;
import io.authgate.core.events.Addresses;
import io.authgate.core.runtime.Platform;
import io.authgate.core.store.ManagedDirectories;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.eventbus.MessageConsumer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories one gateway process serves: those of its configuration, for its whole life, and
 * those managed through the admin API, read from the store at start and again whenever
 * {@link Addresses#DIRECTORIES_CHANGED} arrives (from any process, through the broadcaster). Each
 * reload builds a new {@link DirectoryRouter} and hands it over at once; an unchanged directory
 * keeps its instance (pools, breaker), a changed or deleted one is closed only after its calls in
 * flight have had time to finish ({@link #retireAfter}); a changed one hands its meters over to its
 * replacement at once. Reloads run one at a time; events arriving
 * during one are folded into a single next reload. Thread-safe.
 */
public final class LiveDirectories {
  private static final Logger LOG = LoggerFactory.getLogger(LiveDirectories.class);
  /** How long a replaced directory stays open when its breaker sets no call timeout. */
  static final Duration DEFAULT_RETIREMENT = Duration.ofSeconds(30);

  private final Platform platform;
  private final List<Directory> configured;
  private final ManagedDirectories store;
  private final Set<Directory> retiring = ConcurrentHashMap.newKeySet();
  private volatile Map<String, Directory> managed = Map.of();
  private volatile DirectoryRouter router;
  private volatile Consumer<DirectoryRouter> listener = router -> { };
  private MessageConsumer<String> events;
  private MessageConsumer<String> resyncs;
  private Future<Void> running = Future.succeededFuture();
  private Future<Void> queued;
  private boolean closed;

  /**
   * @param platform the process's shared infrastructure
   * @param configured the configured directories, opened; they stay as they are
   * @param store the API-managed directories, or null when the process has no store
   */
  public LiveDirectories(Platform platform, List<Directory> configured, ManagedDirectories store) {
    this.platform = platform;
    this.configured = List.copyOf(configured);
    this.store = store;
    this.router = new DirectoryRouter(this.configured, platform.config().defaultDirectoryName());
  }

  /**
   * Loads the API-managed directories and starts listening for changes.
   *
   * @return the router of the configured and API-managed directories
   */
  public Future<DirectoryRouter> start() {
    if (store == null) {
      return Future.succeededFuture(router);
    }
    events = platform.vertx().eventBus().<String>consumer(Addresses.DIRECTORIES_CHANGED, m -> reload());
    resyncs = platform.vertx().eventBus().<String>localConsumer(Addresses.EVENTS_RESYNC, m -> reload());
    return events.completion().compose(v -> reload()).map(v -> router);
  }

  /** @param listener told of every new router, and at once of the current one */
  public void onChange(Consumer<DirectoryRouter> listener) {
    this.listener = listener;
    listener.accept(router);
  }

  /** @return the router in use now */
  public DirectoryRouter router() {
    return router;
  }

  /**
   * Reads the API-managed directories again and swaps the router.
   *
   * @return done once the new router is in use (or the reload failed, keeping the old one)
   */
  public synchronized Future<Void> reload() {
    if (queued != null) {
      return queued;
    }
    Promise<Void> next = Promise.promise();
    queued = next.future();
    running = running.transform(ignored -> {
      synchronized (this) {
        queued = null;
      }
      return load();
    }).andThen(done -> {
      if (done.succeeded()) {
        next.complete();
      } else {
        LOG.atError().addKeyValue("event", "directories.reload_failed")
            .log("API-managed directories were not reloaded, the previous ones stay: {}", done.cause().toString());
        next.fail(done.cause());
      }
    }).recover(e -> Future.succeededFuture());
    return next.future();
  }

  private Future<Void> load() {
    return store.loadManaged().compose(configs -> {
      Map<String, Directory> previous = managed;
      Set<String> configuredNames = configured.stream().map(Directory::name).collect(Collectors.toSet());
      List<Future<Directory>> opening = new ArrayList<>();
      for (DirectoryConfig config : configs) {
        Directory existing = previous.get(config.name());
        if (configuredNames.contains(config.name())) {
          LOG.atWarn().addKeyValue("event", "directories.shadowed").addKeyValue("directory", config.name())
              .log("directory {} is defined in configuration; the store's definition is ignored", config.name());
        } else if (existing != null && existing.config().equals(config)) {
          opening.add(Future.succeededFuture(existing));
        } else {
          if (existing != null) {
            // Meters are keyed by name: the replacement must register its own, not inherit these.
            existing.releaseMeters();
          }
          opening.add(open(config));
        }
      }
      return Future.join(opening).transform(ignored -> swap(previous, opening));
    });
  }

  private Future<Directory> open(DirectoryConfig config) {
    return LdapDirectory.open(platform.vertx(), config, platform.registry(), platform.config().http().instances())
        .<Directory>map(ldap -> new GuardedDirectory(platform.vertx(), ldap, platform.registry()))
        .onFailure(e -> LOG.atError().addKeyValue("event", "directory.unusable").addKeyValue("directory", config.name())
            .log("directory {} cannot be opened and is left out: {}", config.name(), e.getMessage()));
  }

  private Future<Void> swap(Map<String, Directory> previous, List<Future<Directory>> opening) {
    Map<String, Directory> next = new LinkedHashMap<>();
    opening.stream().filter(Future::succeeded).map(Future::result).forEach(d -> next.put(d.name(), d));
    List<Directory> all = new ArrayList<>(configured);
    all.addAll(next.values());
    synchronized (this) {
      if (closed) {
        next.values().stream().filter(d -> !previous.containsValue(d)).forEach(Directory::close);
        return Future.succeededFuture();
      }
      router = new DirectoryRouter(all, platform.config().defaultDirectoryName());
      managed = Map.copyOf(next);
    }
    listener.accept(router);
    previous.values().stream().filter(d -> !next.containsValue(d)).forEach(this::retire);
    LOG.atInfo().addKeyValue("event", "directories.reloaded").addKeyValue("managed", next.keySet().toString())
        .log("serving {} configured and {} API-managed directories", configured.size(), next.size());
    return Future.succeededFuture();
  }

  private void retire(Directory old) {
    retiring.add(old);
    platform.vertx().setTimer(retireAfter(old.config()).toMillis(), id -> {
      if (retiring.remove(old)) {
        old.close();
      }
    });
  }

  /** @return how long a replaced directory stays open for the calls it is still answering */
  static Duration retireAfter(DirectoryConfig config) {
    Duration callTimeout = config.breaker().callTimeout();
    return (callTimeout.isZero() ? DEFAULT_RETIREMENT : callTimeout).plusSeconds(1);
  }

  /** Stops listening and closes the API-managed directories, current and retiring; not the configured ones. */
  public Future<Void> close() {
    List<Directory> closing = new ArrayList<>(retiring);
    retiring.clear();
    synchronized (this) {
      closed = true;
      closing.addAll(managed.values());
      managed = Map.of();
    }
    List<Future<Void>> all = new ArrayList<>(closing.stream().map(Directory::close).toList());
    if (events != null) {
      all.add(events.unregister());
      all.add(resyncs.unregister());
    }
    return Future.join(all).mapEmpty();
  }
}
