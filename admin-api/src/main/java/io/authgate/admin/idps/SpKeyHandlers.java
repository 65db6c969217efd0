package io.authgate.admin.idps;

import io.authgate.admin.api.AdminAudit;
import io.authgate.admin.api.Exchanges;
import io.authgate.admin.api.ProblemException;
import io.authgate.core.events.Addresses;
import io.authgate.core.events.Broadcaster;
import io.authgate.core.idps.PemKeys;
import io.authgate.core.idps.SpKeyPair;
import io.authgate.core.idps.SpKeyStore;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.security.cert.X509Certificate;
import io.vertx.sqlclient.Pool;
import java.time.Instant;
import java.util.Optional;

/**
 * The SAML SP's keys: {@code GET /saml/sp-keys} shows the stored certificates and fingerprints,
 * {@code PUT /saml/sp-keys/{usage}} replaces a pair (admin only). The private key is write-only:
 * sealed before it is stored, never answered, never audited (the audit entry holds the
 * fingerprints of the certificates before and after). Thread-safe.
 */
public final class SpKeyHandlers {
  /** What gateways are told when the SP keys change. */
  public static final String CHANGED = "sp-keys";
  private final Pool pool;
  private final Optional<SpKeyStore> keys;
  private final AdminAudit audit;
  private final Broadcaster broadcaster;
  private final boolean fromFiles;

  /**
   * @param pool the store
   * @param keys seals SP keys into the store; empty when the store has no master key
   * @param audit records each change
   * @param broadcaster tells every gateway about a change
   * @param fromFiles whether configuration names key files ({@code saml.signingKey}), which the
   *     gateways use instead of the store's
   */
  public SpKeyHandlers(Pool pool, Optional<SpKeyStore> keys, AdminAudit audit, Broadcaster broadcaster,
                       boolean fromFiles) {
    this.pool = pool;
    this.keys = keys;
    this.audit = audit;
    this.broadcaster = broadcaster;
    this.fromFiles = fromFiles;
  }

  /** {@code GET /saml/sp-keys}. */
  public void list(RoutingContext ctx) {
    Exchanges.respond(ctx, SpKeyStore.certificates(pool).map(pairs -> new JsonObject().put("items",
        new JsonArray(pairs.values().stream().map(p -> json(p.usage(), p.certificatePem(), p.source(),
            p.updatedAt())).toList()))), 200);
  }

  /** {@code PUT /saml/sp-keys/{usage}}. */
  public void replace(RoutingContext ctx) {
    if (!IdpHandlers.mayChange(ctx)) {
      return;
    }
    if (fromFiles) {
      ctx.fail(ProblemException.conflict("the SP keys come from files in configuration (saml.signingKey); "
          + "replace those files instead"));
      return;
    }
    if (keys.isEmpty()) {
      ctx.fail(ProblemException.conflict("store.masterKey is not set: the SP keys are not kept in the store "
          + "(configure the same store.masterKey on every process, or key files in saml.signingKey)"));
      return;
    }
    String usage = Exchanges.path(ctx, "usage");
    JsonObject body = Exchanges.body(ctx);
    String privateKey = body.getString("privateKey");
    String certificate = body.getString("certificate");
    try {
      PemKeys.checkPair(privateKey, certificate);
    } catch (IllegalArgumentException e) {
      String message = e.getMessage();
      String field = message.startsWith("certificate") ? "/certificate" : "/privateKey";
      ctx.fail(ProblemException.unprocessable("body", field, message.substring(message.indexOf(':') + 1).strip()));
      return;
    }
    Future<JsonObject> stored = SpKeyStore.certificates(pool).compose(before -> {
      SpKeyPair previous = before.get(usage);
      JsonObject oldState = previous == null ? null
          : new JsonObject().put("usage", usage).put("fingerprintSha256", previous.fingerprintSha256());
      return audit.change(ctx, connection -> keys.get().replace(connection, usage, certificate, privateKey),
          fingerprint -> new AdminAudit.Entry("saml.sp_key.replaced", "sp_key", usage, null, oldState,
              new JsonObject().put("usage", usage).put("fingerprintSha256", fingerprint)));
    })
        .map(fingerprint -> json(usage, certificate, SpKeyStore.FROM_API, Instant.now()))
        .onSuccess(v -> broadcaster.publish(Addresses.IDPS_CHANGED, CHANGED));
    Exchanges.respond(ctx, stored, 200);
  }

  private static JsonObject json(String usage, String certificatePem, String source, Instant updatedAt) {
    X509Certificate certificate = PemKeys.certificate(certificatePem);
    return new JsonObject().put("usage", usage).put("certificate", certificatePem)
        .put("fingerprintSha256", PemKeys.fingerprint(certificate))
        .put("subject", certificate.getSubjectX500Principal().getName())
        .put("notAfter", certificate.getNotAfter().toInstant().toString())
        .put("source", source).put("updatedAt", updatedAt.toString());
  }
}
