package io.authgate.server.embedded;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldif.LDIFReader;
import io.authgate.core.config.ConfigException;
import io.authgate.core.config.ConfigLoader;
import io.authgate.core.config.DirectoryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * The demo directory of the embedded default: UnboundID's in-memory server on loopback, seeded
 * from the bundled LDIF, so {@code ldapsearch} works against it. The gateway's service account has
 * a random password made at each start and never printed.
 */
public final class EmbeddedDirectory implements AutoCloseable {
  /** The demo directory's base DN. */
  public static final String BASE_DN = "dc=example,dc=org";
  /** The service account the gateway searches with. */
  public static final String SERVICE_DN = "cn=authgate,dc=example,dc=org";
  /** The demo accounts, as printed at start: username, password, groups. */
  public static final List<String[]> DEMO_USERS = List.of(
      new String[] {"alice", "alice-password", "admins, developers"},
      new String[] {"bob", "bob-password", "developers"},
      new String[] {"carol", "carol-password", "sales"});
  private static final String LDIF = "/embedded/demo-directory.ldif";

  private final InMemoryDirectoryServer server;
  private final String servicePassword;

  private EmbeddedDirectory(InMemoryDirectoryServer server, String servicePassword) {
    this.server = server;
    this.servicePassword = servicePassword;
  }

  /**
   * @param port the loopback port; 0 picks a free one
   * @return the running directory
   * @throws ConfigException when the port is taken
   */
  public static EmbeddedDirectory start(int port) {
    byte[] random = new byte[24];
    new SecureRandom().nextBytes(random);
    String servicePassword = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    try (InputStream ldif = EmbeddedDirectory.class.getResourceAsStream(LDIF)) {
      InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(BASE_DN);
      config.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(),
          port, null));
      config.addAdditionalBindCredentials(SERVICE_DN, servicePassword);
      InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
      server.importFromLDIF(true, new LDIFReader(ldif));
      try {
        server.startListening();
      } catch (LDAPException e) {
        throw new ConfigException("embedded.ldapPort", "cannot listen on 127.0.0.1:" + port
            + " (" + e.getExceptionMessage() + "); set AUTHGATE_EMBEDDED_LDAP_PORT to a free port");
      }
      return new EmbeddedDirectory(server, servicePassword);
    } catch (LDAPException | IOException e) {
      throw new IllegalStateException("cannot start the embedded directory: " + e.getMessage(), e);
    }
  }

  /** @return the URL {@code ldapsearch} and the gateway use */
  public String url() {
    return "ldap://127.0.0.1:" + server.getListenPort();
  }

  /** @return the gateway's directory configuration for this server */
  public DirectoryConfig directoryConfig() {
    return ConfigLoader.directory(Map.of(
        "name", "demo",
        "urls", List.of(url()),
        "baseDn", BASE_DN,
        "bindDn", SERVICE_DN,
        "bindPassword", servicePassword,
        "emailDomains", List.of("example.org"),
        "roleMapping", Map.of("admins", List.of("admin"), "developers", List.of("developer"))));
  }

  @Override
  public void close() {
    server.shutDown(true);
  }
}
