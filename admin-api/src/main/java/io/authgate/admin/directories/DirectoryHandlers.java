package io.authgate.admin.directories;

import io.authgate.admin.api.AdminAudit;
import io.authgate.admin.api.AdminPaths;
import io.authgate.admin.api.Exchanges;
import io.authgate.admin.api.ProblemException;
import io.authgate.core.config.ConfigException;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.config.Secret;
import io.authgate.core.crypto.SecretBoxException;
import io.authgate.core.events.Addresses;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.store.DirectoryDefinitions;
import io.authgate.core.store.DirectoryException;
import io.authgate.core.store.ManagedDirectories;
import io.authgate.core.store.StoredDirectory;
import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.SqlConnection;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The directories endpoints that read and change definitions: list ({@code listDirectories}), get
 * ({@code getDirectory}), create ({@code createDirectory}), replace ({@code replaceDirectory}) and
 * delete ({@code deleteDirectory}). Changes need the admin role, are audited without any secret, and
 * once committed are announced on {@link Addresses#DIRECTORIES_CHANGED} so every gateway reloads.
 * The definition is checked by the configuration's own rules; a broken rule answers 422 naming the
 * key as a JSON pointer. Thread-safe.
 */
public final class DirectoryHandlers {
  private static final String REFUSAL = "only the admin role may change directories";
  private static final Logger LOG = LoggerFactory.getLogger(DirectoryHandlers.class);
  /** The directories collection. */
  public static final String PATH = AdminPaths.BASE + "/directories";

  private final ManagedDirectories directories;
  private final AdminAudit audit;
  private final Broadcaster events;

  /**
   * @param directories the store's directories
   * @param audit records each change
   * @param events tells every gateway of a change
   */
  public DirectoryHandlers(ManagedDirectories directories, AdminAudit audit, Broadcaster events) {
    this.directories = directories;
    this.audit = audit;
    this.events = events;
  }

  /** {@code GET /directories}. */
  public void list(RoutingContext ctx) {
    respond(ctx, directories.list().map(all -> {
      JsonArray items = new JsonArray();
      all.forEach(d -> items.add(DirectoryJson.of(d)));
      return new JsonObject().put("items", items);
    }), 200);
  }

  /** {@code GET /directories/{id}}. */
  public void get(RoutingContext ctx) {
    respond(ctx, directories.find(id(ctx)).compose(DirectoryHandlers::found).map(DirectoryJson::of), 200);
  }

  /** {@code POST /directories}. */
  public void create(RoutingContext ctx) {
    if (!Exchanges.adminOnly(ctx, REFUSAL)) {
      return;
    }
    JsonObject body = Exchanges.body(ctx);
    UUID id = UUID.randomUUID();
    Future<StoredDirectory> created = audit.change(ctx, connection -> definition(body, password(body))
            .compose(config -> unclaimedDomains(connection, id, config).compose(v ->
                directories.create(connection, id, config))),
        d -> new AdminAudit.Entry("directory.created", "directory", id.toString(), null, null, DirectoryJson.of(d)));
    respond(ctx, announced(created, id)
        .onSuccess(d -> ctx.response().putHeader(HttpHeaders.LOCATION, PATH + "/" + d.id()))
        .map(DirectoryJson::of), 201);
  }

  /** {@code PUT /directories/{id}}. */
  public void replace(RoutingContext ctx) {
    if (!Exchanges.adminOnly(ctx, REFUSAL)) {
      return;
    }
    JsonObject body = Exchanges.body(ctx);
    UUID id = id(ctx);
    JsonObject[] before = new JsonObject[1];
    Future<StoredDirectory> replaced = audit.change(ctx, connection -> managed(connection, id).compose(old -> {
          before[0] = DirectoryJson.of(old);
          return keptPassword(connection, id, body)
              .compose(password -> definition(body, password))
              .compose(config -> unclaimedDomains(connection, id, config)
                  .compose(v -> directories.replace(connection, id, config)));
        }),
        d -> new AdminAudit.Entry("directory.replaced", "directory", id.toString(), null, before[0],
            DirectoryJson.of(d)));
    respond(ctx, announced(replaced, id).map(DirectoryJson::of), 200);
  }

  /** {@code DELETE /directories/{id}}. */
  public void delete(RoutingContext ctx) {
    if (!Exchanges.adminOnly(ctx, REFUSAL)) {
      return;
    }
    UUID id = id(ctx);
    Future<StoredDirectory> deleted = audit.change(ctx, connection -> managed(connection, id)
            .compose(old -> directories.accounts(connection, id).compose(accounts -> accounts == 0
                ? directories.delete(connection, id).map(old)
                : Future.failedFuture(ProblemException.conflict(accounts + " account(s) belong to directory "
                    + old.name() + ": deprovision or move them first")))),
        old -> new AdminAudit.Entry("directory.deleted", "directory", id.toString(), null, DirectoryJson.of(old),
            null));
    announced(deleted, id).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(failure(done.cause()));
      } else {
        ctx.response().setStatusCode(204).end();
      }
    });
  }

  /** @return the API-managed directory, locked for the change; 404 or 409 (configured) otherwise */
  private Future<StoredDirectory> managed(SqlConnection connection, UUID id) {
    return directories.find(connection, id, true).compose(DirectoryHandlers::found).compose(d -> d.fromConfiguration()
        ? Future.failedFuture(ProblemException.conflict("directory " + d.name()
            + " is defined in configuration: change it there"))
        : Future.succeededFuture(d));
  }

  /** @return the password given, else the stored one when the definition keeps a bind DN */
  private Future<Optional<Secret>> keptPassword(SqlConnection connection, UUID id, JsonObject body) {
    Optional<Secret> given = password(body);
    if (given.isPresent() || body.getString("bindDn") == null) {
      return Future.succeededFuture(given);
    }
    return directories.bindPassword(connection, id).recover(e -> Future.failedFuture(e instanceof SecretBoxException
        && directories.hasMasterKey() ? ProblemException.unprocessable("body", "/bindPassword",
            "the stored password cannot be opened under this master key: send it again")
        : e));
  }

  private Future<Void> unclaimedDomains(SqlConnection connection, UUID id, DirectoryConfig config) {
    return directories.domainOwners(connection, id).compose(owners -> {
      for (String domain : config.emailDomains()) {
        String owner = owners.get(domain);
        if (owner != null) {
          return Future.failedFuture(ProblemException.conflict("the email domain " + domain
              + " is already routed to directory " + owner));
        }
      }
      return Future.succeededFuture();
    });
  }

  private <T> Future<T> announced(Future<T> change, UUID id) {
    return change.compose(result -> events.publish(Addresses.DIRECTORIES_CHANGED, id.toString())
        .recover(e -> {
          LOG.atWarn().addKeyValue("event", "directories.announce_failed")
              .log("the change is stored, but gateways were not told: {}; they pick it up at their next reload",
                  e.toString());
          return Future.succeededFuture();
        })
        .map(result));
  }

  /** @return the directory the definition describes; 422 naming the key at fault */
  static Future<DirectoryConfig> definition(JsonObject body, Optional<Secret> password) {
    try {
      return Future.succeededFuture(DirectoryDefinitions.read(body, password));
    } catch (ConfigException e) {
      String pointer = "(root)".equals(e.key()) ? "" : "/" + e.key().replace('.', '/');
      return Future.failedFuture(ProblemException.unprocessable("body", pointer, e.problem()));
    }
  }

  private static Optional<Secret> password(JsonObject body) {
    return Optional.ofNullable(body.getString(DirectoryDefinitions.BIND_PASSWORD)).map(Secret::of);
  }

  static UUID id(RoutingContext ctx) {
    return Exchanges.pathId(ctx, "id");
  }

  static Future<StoredDirectory> found(StoredDirectory d) {
    return Exchanges.found(d, "no such directory");
  }

  static Throwable failure(Throwable e) {
    if (e instanceof DirectoryException d) {
      return ProblemException.conflict(d.getMessage());
    }
    if (e instanceof SecretBoxException && ManagedDirectories.NO_MASTER_KEY.equals(e.getMessage())) {
      return ProblemException.unavailable(ManagedDirectories.NO_MASTER_KEY);
    }
    return e;
  }

  static void respond(RoutingContext ctx, Future<JsonObject> body, int status) {
    Exchanges.respond(ctx, body.recover(e -> Future.failedFuture(failure(e))), status);
  }
}
