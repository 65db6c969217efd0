package io.authgate.core.config;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The login page browsers are sent to, and where it may send them back. Immutable.
 *
 * @param url the login page's public URL, as browsers reach it (through the proxy); derived from
 *     the gateway's own address when empty
 * @param allowedRedirectDomains domains (and their subdomains) a login or logout may redirect to
 * @param defaultRedirect where to go when no acceptable target was given
 */
public record PortalConfig(Optional<URI> url, List<String> allowedRedirectDomains, Optional<URI> defaultRedirect) {

  static PortalConfig read(ConfigNode n) {
    PortalConfig config = new PortalConfig(
        n.parsed("url", PortalConfig::absoluteHttpUrl),
        n.strings("allowedRedirectDomains", List.of()).stream().map(d -> d.toLowerCase(Locale.ROOT))
            .map(d -> d.startsWith(".") ? d.substring(1) : d).toList(),
        n.parsed("defaultRedirect", PortalConfig::absoluteHttpUrl));
    config.allowedRedirectDomains().forEach(d -> {
      if (!d.matches("[a-z0-9.-]+")) {
        throw n.problem("allowedRedirectDomains", "\"" + d + "\" is not a domain name");
      }
    });
    n.rejectUnknownKeys();
    return config;
  }

  static URI absoluteHttpUrl(String value) {
    try {
      URI uri = new URI(value);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (java.net.URISyntaxException e) {
      // reported below
    }
    throw new IllegalArgumentException("must be an absolute http:// or https:// URL, got \"" + value + "\"");
  }
}
