package io.authgate.admin.directories;

import io.authgate.admin.api.ProblemException;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.directory.DirectoryUnavailableException;
import io.authgate.core.directory.ldap.LdapDirectory;
import io.authgate.core.store.ManagedDirectories;
import io.authgate.core.store.StoredDirectory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;

/**
 * The directories endpoints that probe: {@code testDirectory} connects afresh, binds as the service
 * account and reads the base entry, answering ok or the failure with the time taken, and stores the
 * outcome as the directory's health; {@code directoryHealth} answers the stored health. The
 * probe's directory is built for the probe alone and closed after it. Thread-safe.
 */
public final class DirectoryProbes {
  private final Vertx vertx;
  private final ManagedDirectories directories;
  private final List<DirectoryConfig> configured;

  /**
   * @param vertx runs the probes
   * @param directories the store's directories
   * @param configured this process's configured directories, to probe those defined in configuration
   */
  public DirectoryProbes(Vertx vertx, ManagedDirectories directories, List<DirectoryConfig> configured) {
    this.vertx = vertx;
    this.directories = directories;
    this.configured = List.copyOf(configured);
  }

  /** {@code POST /directories/{id}/test}. */
  public void test(RoutingContext ctx) {
    UUID id = DirectoryHandlers.id(ctx);
    DirectoryHandlers.respond(ctx, directories.find(id).compose(DirectoryHandlers::found)
        .compose(this::config)
        .compose(this::probe)
        .compose(outcome -> directories.recordHealth(id, outcome.getBoolean("ok"), outcome.getLong("latencyMs"))
            .map(outcome)), 200);
  }

  /** {@code GET /directories/{id}/health}. */
  public void health(RoutingContext ctx) {
    DirectoryHandlers.respond(ctx, directories.find(DirectoryHandlers.id(ctx)).compose(DirectoryHandlers::found)
        .map(DirectoryJson::health), 200);
  }

  private Future<DirectoryConfig> config(StoredDirectory d) {
    if (d.fromConfiguration()) {
      return configured.stream().filter(c -> c.name().equals(d.name())).findFirst().map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(ProblemException.conflict("directory " + d.name()
              + " is defined in the configuration of other processes, not this one: probe it there")));
    }
    return directories.bindPassword(d.id())
        .compose(password -> DirectoryHandlers.definition(d.definition(), password));
  }

  private Future<JsonObject> probe(DirectoryConfig config) {
    long start = System.nanoTime();
    return LdapDirectory.open(vertx, config, new SimpleMeterRegistry(), 1)
        .compose(directory -> directory.probe().transform(done -> {
          directory.close();
          return Future.succeededFuture(done.succeeded() ? outcome(done.result(), null)
              : outcome((System.nanoTime() - start) / 1_000_000, done.cause()));
        }), e -> Future.succeededFuture(outcome((System.nanoTime() - start) / 1_000_000, e)));
  }

  private static JsonObject outcome(long latencyMs, Throwable failure) {
    JsonObject json = new JsonObject().put("ok", failure == null).put("latencyMs", latencyMs)
        .put("checkedAt", Instant.now().toString());
    if (failure != null) {
      json.put("error", error(failure)).put("detail", String.valueOf(failure.getMessage()));
    }
    return json;
  }

  /** @return the failure in a few words a person acts on */
  static String error(Throwable failure) {
    String message = String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT);
    if (message.contains("invalid credentials")) {
      return "bind refused";
    }
    if (message.contains("connection refused")) {
      return "connection refused";
    }
    if (message.contains("no such object") || message.contains("not found")) {
      return "base DN not found";
    }
    if (failure instanceof DirectoryUnavailableException unavailable) {
      return switch (unavailable.kind()) {
        case TIMEOUT -> "timeout";
        case UNREACHABLE, POOL_EXHAUSTED, CIRCUIT_OPEN -> "unreachable";
        case SERVER_ERROR -> "directory error";
      };
    }
    return "directory error";
  }
}
