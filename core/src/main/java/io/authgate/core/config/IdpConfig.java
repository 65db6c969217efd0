package io.authgate.core.config;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * One SAML identity provider the gateway trusts. Immutable.
 *
 * @param id short name used in URLs ({@code /saml/{id}/login}) and as the metric label
 * @param displayName the login button's label
 * @param metadataFile the IdP's metadata in a file; exactly one of the three metadata sources is set
 * @param metadataXml the IdP's metadata inline
 * @param metadataUrl where to fetch the IdP's metadata, refreshed every {@code metadataRefresh}
 * @param metadataRefresh how often URL metadata is fetched again
 * @param attributes which attributes carry the user's details
 * @param jit whether an unknown user is created on first login
 * @param matchByEmail whether an unknown (IdP, NameID) may be linked to the user with the mapped email
 * @param defaultRoles roles given to users created on first login
 * @param allowIdpInitiated whether unsolicited responses (IdP-initiated login) are accepted
 * @param signAuthnRequests whether AuthnRequests to this IdP are signed
 */
public record IdpConfig(String id, String displayName, Optional<Path> metadataFile,
                        Optional<String> metadataXml, Optional<URI> metadataUrl, Duration metadataRefresh,
                        AttributeMapping attributes, boolean jit, boolean matchByEmail,
                        List<String> defaultRoles, boolean allowIdpInitiated, boolean signAuthnRequests) {
  /** Default interval between metadata fetches. */
  public static final Duration DEFAULT_METADATA_REFRESH = Duration.ofHours(1);

  /** Copies collections so the record stays immutable. */
  public IdpConfig {
    defaultRoles = List.copyOf(defaultRoles);
  }

  static IdpConfig read(ConfigNode n) {
    String id = n.requiredString("id");
    if (!id.matches("[a-z0-9-]{1,32}")) {
      throw n.problem("id", "must be 1 to 32 lowercase letters, digits or '-', got \"" + id + "\"");
    }
    Optional<Path> file = n.optionalString("metadataFile").map(Path::of);
    Optional<String> xml = n.optionalString("metadataXml");
    Optional<URI> url = n.parsed("metadataUrl", PortalConfig::absoluteHttpUrl);
    long sources = Stream.of(file, xml, url).filter(Optional::isPresent).count();
    if (sources != 1) {
      throw n.problem("metadataFile", "set exactly one of metadataFile, metadataXml, metadataUrl (" + sources + " set)");
    }
    file.ifPresent(f -> {
      if (!Files.isReadable(f)) {
        throw n.problem("metadataFile", "cannot read " + f);
      }
    });
    Duration refresh = n.duration("metadataRefresh", DEFAULT_METADATA_REFRESH);
    if (refresh.compareTo(Duration.ofMinutes(1)) < 0) {
      throw n.problem("metadataRefresh", "must be at least 1m, got " + refresh);
    }
    IdpConfig config = new IdpConfig(id, n.string("displayName", id), file, xml, url, refresh,
        AttributeMapping.read(n.child("attributes")), n.bool("jit", false), n.bool("matchByEmail", false),
        n.strings("defaultRoles", List.of()), n.bool("allowIdpInitiated", false),
        n.bool("signAuthnRequests", true));
    n.rejectUnknownKeys();
    return config;
  }
}
