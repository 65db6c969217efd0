package io.authgate.admin.idps;

import io.authgate.admin.api.AdminAudit;
import io.authgate.admin.api.Exchanges;
import io.authgate.admin.api.AdminPaths;
import io.authgate.admin.api.ApiKeyAuthentication;
import io.authgate.admin.api.Caller;
import io.authgate.admin.api.ProblemException;
import io.authgate.core.events.Addresses;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.idps.IdentityProviders;
import io.authgate.core.idps.IdentityProviders.NewIdp;
import io.authgate.core.idps.IdpException;
import io.authgate.core.idps.IdpRecord;
import io.authgate.core.idps.IdpSettings;
import io.authgate.core.idps.MetadataException;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The identity-provider endpoints: list, get, create, patch, delete and metadata import. Only the
 * admin role changes them; those from configuration are listed but answer 409 to a change. Each
 * change is audited in its own transaction and, once committed, announced to every gateway
 * ({@link Addresses#IDPS_CHANGED}). Thread-safe.
 */
public final class IdpHandlers {
  /** The audit trail's name for an identity provider. */
  static final String TARGET = "identity_provider";
  private static final Logger LOG = LoggerFactory.getLogger(IdpHandlers.class);
  private static final String BASE = AdminPaths.BASE + "/identity-providers";

  private final IdentityProviders idps;
  private final AdminAudit audit;
  private final Broadcaster broadcaster;
  private final MetadataFetcher metadata;
  private final List<String> configured;

  /**
   * @param vertx runs metadata fetches and checks
   * @param idps the store's identity providers
   * @param audit records each change
   * @param broadcaster tells every gateway about a change
   * @param configured the slugs of the identity providers in this process's configuration
   */
  public IdpHandlers(Vertx vertx, IdentityProviders idps, AdminAudit audit, Broadcaster broadcaster,
                     List<String> configured) {
    this.idps = idps;
    this.audit = audit;
    this.broadcaster = broadcaster;
    this.metadata = new MetadataFetcher(vertx);
    this.configured = List.copyOf(configured);
  }

  /** {@code GET /identity-providers}. */
  public void list(RoutingContext ctx) {
    Exchanges.respond(ctx, idps.list().map(all -> new JsonObject()
        .put("items", new JsonArray(all.stream().map(IdpRecord::toJson).toList()))), 200);
  }

  /** {@code GET /identity-providers/{id}}. */
  public void get(RoutingContext ctx) {
    Exchanges.respond(ctx, idps.find(ref(ctx)).compose(IdpHandlers::found).map(IdpRecord::toJson), 200);
  }

  /** {@code POST /identity-providers}. */
  public void create(RoutingContext ctx) {
    if (!mayChange(ctx)) {
      return;
    }
    JsonObject body = Exchanges.body(ctx);
    String xml = body.getString("metadataXml");
    String url = body.getString("metadataUrl");
    if ((xml == null) == (url == null)) {
      ctx.fail(ProblemException.invalidParam("body", "/metadataXml", "give exactly one of metadataXml and metadataUrl"));
      return;
    }
    String slug = body.getString("slug");
    if (configured.contains(slug)) {
      ctx.fail(ProblemException.conflict("the identity provider " + slug + " is defined in configuration"));
      return;
    }
    String field = xml != null ? "/metadataXml" : "/metadataUrl";
    Future<String> text = xml != null ? Future.succeededFuture(xml) : metadata.fetch(url);
    String[] document = new String[1];
    Future<IdpRecord> created = text.compose(t -> {
      document[0] = t;
      return metadata.check(t);
    }).recover(e -> Future.failedFuture(unusable(e, field))).compose(checked -> {
      String expected = body.getString("entityId");
      if (expected != null && !expected.equals(checked.entityId())) {
        return Future.failedFuture(ProblemException.unprocessable("body", "/entityId",
            "the metadata names the entity " + checked.entityId()));
      }
      NewIdp idp = new NewIdp(slug, body.getString("displayName", slug), checked.entityId(),
          xml != null ? IdpRecord.INLINE : IdpRecord.URL, url, document[0],
          Duration.ofSeconds(body.getLong("metadataRefreshSeconds", 3600L)),
          IdpSettings.fromJson(body, IdpSettings.defaults()), body.getBoolean("enabled", true));
      return audit.change(ctx, connection -> idps.create(connection, idp),
          r -> new AdminAudit.Entry("identity_provider.created", TARGET, r.id().toString(), null, null, r.toJson()));
    });
    Exchanges.respond(ctx, announced(refused(created)).map(r -> {
      ctx.response().putHeader(HttpHeaders.LOCATION, BASE + "/" + r.id());
      return r.toJson();
    }), 201);
  }

  /** {@code PATCH /identity-providers/{id}}. */
  public void patch(RoutingContext ctx) {
    if (!mayChange(ctx)) {
      return;
    }
    JsonObject body = Exchanges.body(ctx);
    JsonObject[] before = new JsonObject[1];
    Future<IdpRecord> changed = audit.change(ctx, connection -> idps.find(connection, ref(ctx))
            .compose(IdpHandlers::found).compose(IdpHandlers::apiManaged).compose(old -> {
              before[0] = old.toJson();
              Duration refresh = body.containsKey("metadataRefreshSeconds")
                  ? Duration.ofSeconds(body.getLong("metadataRefreshSeconds"))
                  : old.metadataRefresh() == null ? Duration.ofHours(1) : old.metadataRefresh();
              return idps.update(connection, old.id(), body.getString("displayName", old.displayName()),
                  IdpSettings.fromJson(body, old.settings()), body.getBoolean("enabled", old.enabled()), refresh);
            }),
        r -> new AdminAudit.Entry("identity_provider.updated", TARGET, r.id().toString(), null, before[0], r.toJson()));
    Exchanges.respond(ctx, announced(changed).map(IdpRecord::toJson), 200);
  }

  /** {@code DELETE /identity-providers/{id}}. */
  public void delete(RoutingContext ctx) {
    if (!mayChange(ctx)) {
      return;
    }
    IdpRecord[] gone = new IdpRecord[1];
    Future<IdpRecord> deleted = audit.change(ctx, connection -> idps.find(connection, ref(ctx))
            .compose(IdpHandlers::found).compose(IdpHandlers::apiManaged).compose(old -> {
              gone[0] = old;
              return idps.delete(connection, old.id()).map(old);
            }),
        r -> new AdminAudit.Entry("identity_provider.deleted", TARGET, r.id().toString(), null, r.toJson(), null));
    announced(deleted).onComplete(done -> {
      if (done.failed()) {
        ctx.fail(done.cause());
      } else {
        ctx.response().setStatusCode(204).putHeader(HttpHeaders.CACHE_CONTROL, "no-store").end();
      }
    });
  }

  /** {@code POST /identity-providers/{id}/metadata}. */
  public void importMetadata(RoutingContext ctx) {
    if (!mayChange(ctx)) {
      return;
    }
    JsonObject body = Exchanges.body(ctx);
    String xml = body == null ? null : body.getString("xml");
    String url = body == null ? null : body.getString("url");
    Future<IdpRecord> imported = idps.find(ref(ctx)).compose(IdpHandlers::found)
        .compose(IdpHandlers::apiManaged).compose(old -> {
          String source = xml != null ? IdpRecord.INLINE : IdpRecord.URL;
          String from = url != null ? url : xml == null ? old.metadataLocation() : null;
          String field = xml != null ? "/xml" : "/url";
          if (xml == null && url == null && !IdpRecord.URL.equals(old.metadataSource())) {
            return Future.failedFuture(ProblemException.unprocessable("body", "/url",
                "the identity provider has no metadata URL to fetch again from; send xml or url"));
          }
          String[] document = new String[1];
          return (xml != null ? Future.succeededFuture(xml) : metadata.fetch(from)).compose(t -> {
            document[0] = t;
            return metadata.check(t);
          }).recover(e -> Future.failedFuture(unusable(e, field))).compose(checked -> {
            if (old.entityId() != null && !old.entityId().equals(checked.entityId())) {
              return Future.failedFuture(ProblemException.unprocessable("body", field, "the metadata names the entity "
                  + checked.entityId() + ", not the identity provider's " + old.entityId()));
            }
            return audit.change(ctx, connection -> idps.replaceMetadata(connection, old.id(), source, from,
                    document[0], checked.entityId()),
                r -> new AdminAudit.Entry("identity_provider.metadata_imported", TARGET, r.id().toString(), null,
                    old.toJson(), r.toJson()));
          });
        });
    Exchanges.respond(ctx, announced(refused(imported)).map(IdpRecord::toJson), 200);
  }

  /** Publishes the change to every gateway once committed; a failed publish is logged, not answered. */
  private Future<IdpRecord> announced(Future<IdpRecord> change) {
    return change.onSuccess(r -> broadcaster.publish(Addresses.IDPS_CHANGED, r.slug()).onFailure(e ->
        LOG.atWarn().addKeyValue("event", "idps.announce_failed").addKeyValue("idp", r.slug())
            .log("gateways were not told of the identity provider change: " + e.getMessage())));
  }

  private static Future<IdpRecord> refused(Future<IdpRecord> change) {
    return change.recover(e -> Future.failedFuture(e instanceof IdpException i
        ? ProblemException.conflict(i.getMessage()) : e));
  }

  private static Throwable unusable(Throwable e, String field) {
    return e instanceof MetadataException m ? ProblemException.unprocessable("body", field, m.getMessage()) : e;
  }

  /** @return whether the caller may change identity providers or the SP's keys; answered 403 otherwise */
  static boolean mayChange(RoutingContext ctx) {
    Caller caller = ctx.get(ApiKeyAuthentication.CALLER);
    return Exchanges.adminOnly(ctx, "the role " + caller.role().name().toLowerCase(Locale.ROOT)
        + " may not change the SAML configuration; admin only");
  }

  private static String ref(RoutingContext ctx) {
    return Exchanges.path(ctx, "id");
  }

  private static Future<IdpRecord> found(IdpRecord idp) {
    return Exchanges.found(idp, "no such identity provider");
  }

  private static Future<IdpRecord> apiManaged(IdpRecord idp) {
    return idp.managedByApi() ? Future.succeededFuture(idp) : Future.failedFuture(ProblemException.conflict(
        "the identity provider " + idp.slug() + " is defined in configuration; change it there"));
  }
}
