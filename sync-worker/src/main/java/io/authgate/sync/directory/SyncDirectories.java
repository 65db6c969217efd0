package io.authgate.sync.directory;

import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.store.ManagedDirectories;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The directories the sync worker serves: those of the configuration, and those managed through the
 * admin API, read from the store (bind password opened) each time a job asks, so a directory created
 * or changed through the API is synced, probed and provisioned without a restart. A configured
 * directory wins over a stored one of the same name. Thread-safe.
 */
public final class SyncDirectories {
  private final Map<String, DirectoryConfig> configured = new LinkedHashMap<>();
  private final Optional<ManagedDirectories> managed;

  /**
   * @param configured the configuration's directories
   * @param managed the store's API directories, or empty when they cannot be opened (no master key)
   */
  public SyncDirectories(List<DirectoryConfig> configured, Optional<ManagedDirectories> managed) {
    configured.forEach(d -> this.configured.put(d.name(), d));
    this.managed = managed;
  }

  /** @return the directory of that name, or a failed future saying there is none */
  public Future<DirectoryConfig> find(String name) {
    DirectoryConfig directory = configured.get(name);
    if (directory != null) {
      return Future.succeededFuture(directory);
    }
    return all().compose(every -> every.stream().filter(d -> d.name().equals(name)).findFirst()
        .map(Future::succeededFuture)
        .orElseGet(() -> Future.failedFuture(new IllegalArgumentException("no directory is named \"" + name
            + "\" (in the configuration or, with a master key, in the store)"))));
  }

  /** @return every directory: the configured ones, then the store's API directories */
  public Future<List<DirectoryConfig>> all() {
    List<DirectoryConfig> every = new ArrayList<>(configured.values());
    if (managed.isEmpty()) {
      return Future.succeededFuture(every);
    }
    return managed.get().loadManaged().map(stored -> {
      stored.stream().filter(d -> !configured.containsKey(d.name())).forEach(every::add);
      return every;
    });
  }
}
