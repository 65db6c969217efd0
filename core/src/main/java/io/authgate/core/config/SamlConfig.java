package io.authgate.core.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The SAML 2.0 service provider: its identity, keys, tolerances and the IdPs it trusts. No IdP
 * means SAML is off. Immutable.
 *
 * @param entityId the SP's entity ID; {@code <base URL>/saml/metadata} when empty
 * @param baseUrl the gateway's public base URL for the ACS and SLO endpoints; when empty, the
 *     origin of {@code portal.url}, else {@code http://<http.host>:<http.port>}
 * @param signingKey the SP's signing private key (PEM, PKCS#8); generated when empty
 * @param signingCertificate the SP's signing certificate (PEM, X.509)
 * @param encryptionKey the key assertions are encrypted for (PEM, PKCS#8); the signing key when empty
 * @param encryptionCertificate the certificate of the encryption key (PEM, X.509)
 * @param clockSkew tolerance on the assertion's time window, at most 5 minutes
 * @param requestLifetime how long an AuthnRequest may be answered
 * @param maxResponseBytes the largest SAMLResponse form field accepted (base64)
 * @param maxPendingSignIns the most sign-ins a process's ACS works on at once, from the response's
 *     arrival to its answer (validation, the replay check, the store's account, the session); the
 *     ACS answers 503 at once to the next, instead of queueing it behind work it cannot finish in time
 * @param idps the identity providers, each with a unique id
 */
public record SamlConfig(Optional<String> entityId, Optional<URI> baseUrl, Optional<Path> signingKey,
                         Optional<Path> signingCertificate, Optional<Path> encryptionKey,
                         Optional<Path> encryptionCertificate, Duration clockSkew, Duration requestLifetime,
                         int maxResponseBytes, int maxPendingSignIns, List<IdpConfig> idps) {
  /** Path of the SP metadata, relative to the base URL. */
  public static final String METADATA_PATH = "/saml/metadata";
  /** Default tolerance on assertion times. */
  public static final Duration DEFAULT_CLOCK_SKEW = Duration.ofSeconds(60);
  /** Largest tolerance accepted. */
  public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(5);
  /** Default time an AuthnRequest may be answered in. */
  public static final Duration DEFAULT_REQUEST_LIFETIME = Duration.ofMinutes(5);
  /** Default limit of the SAMLResponse form field. */
  public static final int DEFAULT_MAX_RESPONSE_BYTES = 256 * 1024;
  /** Default bound on sign-ins in progress at once: about a tenth of a second of a 2-core gateway's work. */
  public static final int DEFAULT_MAX_PENDING_SIGN_INS = 256;

  /** Copies collections so the record stays immutable. */
  public SamlConfig {
    idps = List.copyOf(idps);
  }

  static SamlConfig read(ConfigNode n) {
    Optional<Path> signingKey = readablePath(n, "signingKey");
    Optional<Path> signingCert = readablePath(n, "signingCertificate");
    Optional<Path> encryptionKey = readablePath(n, "encryptionKey");
    Optional<Path> encryptionCert = readablePath(n, "encryptionCertificate");
    if (signingKey.isPresent() != signingCert.isPresent()) {
      throw n.problem("signingKey", "signingKey and signingCertificate must be set together");
    }
    if (encryptionKey.isPresent() != encryptionCert.isPresent()) {
      throw n.problem("encryptionKey", "encryptionKey and encryptionCertificate must be set together");
    }
    Duration skew = n.duration("clockSkew", DEFAULT_CLOCK_SKEW);
    if (skew.compareTo(MAX_CLOCK_SKEW) > 0) {
      throw n.problem("clockSkew", "must be at most 5m, got " + skew);
    }
    Duration lifetime = n.duration("requestLifetime", DEFAULT_REQUEST_LIFETIME);
    if (lifetime.isZero()) {
      throw n.problem("requestLifetime", "must be longer than zero");
    }
    if (n.optionalString("maxPendingValidations").isPresent()) {
      throw n.problem("maxPendingValidations", "renamed to saml.maxPendingSignIns, which bounds whole sign-ins, "
          + "not only their validation");
    }
    List<ConfigNode> items = n.children("idps");
    List<IdpConfig> idps = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    for (ConfigNode item : items) {
      IdpConfig idp = IdpConfig.read(item);
      if (!ids.add(idp.id())) {
        throw item.problem("id", "\"" + idp.id() + "\" is used twice");
      }
      idps.add(idp);
    }
    SamlConfig config = new SamlConfig(n.optionalString("entityId"),
        n.parsed("baseUrl", PortalConfig::absoluteHttpUrl), signingKey, signingCert, encryptionKey,
        encryptionCert, skew, lifetime,
        n.integer("maxResponseBytes", DEFAULT_MAX_RESPONSE_BYTES, 4 * 1024, 16 * 1024 * 1024),
        n.integer("maxPendingSignIns", DEFAULT_MAX_PENDING_SIGN_INS, 1, 1_000_000), idps);
    n.rejectUnknownKeys();
    return config;
  }

  private static Optional<Path> readablePath(ConfigNode n, String key) {
    Optional<Path> path = n.optionalString(key).map(Path::of);
    path.ifPresent(p -> {
      if (!Files.isReadable(p)) {
        throw n.problem(key, "cannot read " + p);
      }
    });
    return path;
  }

  /** @return whether any IdP is configured */
  public boolean enabled() {
    return !idps.isEmpty();
  }

  /** @return the IdP with this id, if configured */
  public Optional<IdpConfig> idp(String id) {
    return idps.stream().filter(i -> i.id().equals(id)).findFirst();
  }

  /**
   * @param portal the login page settings, whose URL's origin is the first fallback
   * @param http the listener, the last fallback
   * @return the public base URL, without a trailing slash
   */
  public URI publicBaseUrl(PortalConfig portal, HttpConfig http) {
    String base = baseUrl.map(URI::toString)
        .or(() -> portal.url().map(u -> u.getScheme() + "://" + u.getRawAuthority()))
        .orElseGet(() -> {
          String host = http.host().equals("0.0.0.0") || http.host().equals("::") ? "localhost" : http.host();
          return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + http.port();
        });
    while (base.endsWith("/")) {
      base = base.substring(0, base.length() - 1);
    }
    return URI.create(base);
  }

  /** @return the SP entity ID: configured, or the metadata URL under {@code base} */
  public String spEntityId(URI base) {
    return entityId.orElseGet(() -> base + METADATA_PATH);
  }
}
