package io.authgate.gateway.saml;

import java.util.Map;
import javax.xml.XMLConstants;
import net.shibboleth.utilities.java.support.component.ComponentInitializationException;
import net.shibboleth.utilities.java.support.xml.BasicParserPool;
import net.shibboleth.utilities.java.support.xml.ParserPool;
import org.opensaml.core.config.ConfigurationService;
import org.opensaml.core.config.InitializationException;
import org.opensaml.core.config.InitializationService;
import org.opensaml.core.xml.config.XMLObjectProviderRegistry;

/**
 * Initializes OpenSAML once per JVM and installs the hardened parser pool every SAML message is
 * parsed with: namespace aware, no DOCTYPE, no external entities or DTDs, no entity expansion,
 * no XInclude, secure processing, comments dropped and adjacent text coalesced (so
 * {@code victim@x.com<!---->.evil.com} reads as {@code victim@x.com.evil.com}). Thread-safe.
 */
public final class SamlBootstrap {
  private static volatile ParserPool pool;

  private SamlBootstrap() {}

  /**
   * Initializes OpenSAML if not done yet; later calls return at once. Blocking (loads
   * configuration from the class path): call off the event loop.
   *
   * @return the hardened parser pool, also installed as OpenSAML's global pool
   * @throws IllegalStateException when OpenSAML cannot be initialized
   */
  public static ParserPool initialize() {
    ParserPool ready = pool;
    if (ready != null) {
      return ready;
    }
    synchronized (SamlBootstrap.class) {
      if (pool == null) {
        try {
          InitializationService.initialize();
        } catch (InitializationException e) {
          throw new IllegalStateException("OpenSAML initialization failed", e);
        }
        BasicParserPool hardened = hardenedParserPool();
        XMLObjectProviderRegistry registry = ConfigurationService.get(XMLObjectProviderRegistry.class);
        registry.setParserPool(hardened);
        pool = hardened;
      }
      return pool;
    }
  }

  /** @return a new, initialized parser pool with the hardened settings described above */
  public static BasicParserPool hardenedParserPool() {
    BasicParserPool p = new BasicParserPool();
    p.setNamespaceAware(true);
    p.setIgnoreComments(true);
    p.setCoalescing(true);
    p.setExpandEntityReferences(false);
    p.setXincludeAware(false);
    p.setDTDValidating(false);
    p.setMaxPoolSize(64);
    p.setBuilderFeatures(Map.of(
        XMLConstants.FEATURE_SECURE_PROCESSING, true,
        "http://apache.org/xml/features/disallow-doctype-decl", true,
        "http://xml.org/sax/features/external-general-entities", false,
        "http://xml.org/sax/features/external-parameter-entities", false,
        "http://apache.org/xml/features/nonvalidating/load-external-dtd", false));
    p.setBuilderAttributes(Map.of(
        XMLConstants.ACCESS_EXTERNAL_DTD, "",
        XMLConstants.ACCESS_EXTERNAL_SCHEMA, ""));
    try {
      p.initialize();
    } catch (ComponentInitializationException e) {
      throw new IllegalStateException("cannot build the hardened XML parser", e);
    }
    return p;
  }
}
