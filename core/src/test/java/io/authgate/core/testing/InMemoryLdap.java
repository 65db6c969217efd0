package io.authgate.core.testing;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.schema.Schema;
import com.unboundid.ldif.LDIFReader;
import com.unboundid.util.ssl.KeyStoreKeyManager;
import com.unboundid.util.ssl.SSLUtil;
import com.unboundid.util.ssl.TrustAllTrustManager;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * UnboundID's in-memory directory server for tests, seeded from an LDIF resource, listening on
 * loopback with plain LDAP (StartTLS-capable) and LDAPS. Optional interceptors add vendor
 * behaviour or slowness.
 */
public final class InMemoryLdap implements AutoCloseable {
  /** The service account's DN. */
  public static final String SERVICE_DN = "cn=service,dc=example,dc=org";
  /** The service account's password. */
  public static final String SERVICE_PASSWORD = "service-secret";

  private final InMemoryDirectoryServer server;

  private InMemoryLdap(InMemoryDirectoryServer server) {
    this.server = server;
  }

  /** @return the standard test directory ({@code ldap/directory.ldif}, base {@code dc=example,dc=org}) */
  public static InMemoryLdap start(InMemoryOperationInterceptor... interceptors) {
    return start("dc=example,dc=org", "/ldap/directory.ldif", true, SERVICE_DN, interceptors);
  }

  /**
   * @param baseDn the suffix
   * @param ldif the seed, a classpath resource
   * @param schema whether to check entries against the standard schema
   * @param serviceDn an extra bind DN accepting {@link #SERVICE_PASSWORD}
   * @param interceptors extra behaviour
   */
  public static InMemoryLdap start(String baseDn, String ldif, boolean schema, String serviceDn,
                                   InMemoryOperationInterceptor... interceptors) {
    return start(baseDn, ldif, schema, serviceDn, TestCertificates.get().serverKeyStore(), interceptors);
  }

  /** @return the standard test directory, serving TLS with the certificate in {@code keyStore} */
  public static InMemoryLdap startWithCertificate(java.nio.file.Path keyStore) {
    return start("dc=example,dc=org", "/ldap/directory.ldif", true, SERVICE_DN, keyStore);
  }

  private static InMemoryLdap start(String baseDn, String ldif, boolean schema, String serviceDn,
                                    java.nio.file.Path keyStore, InMemoryOperationInterceptor... interceptors) {
    try (InputStream in = InMemoryLdap.class.getResourceAsStream(ldif)) {
      SSLUtil serverTls = new SSLUtil(new KeyStoreKeyManager(keyStore.toFile(),
          TestCertificates.KEYSTORE_PASSWORD.toCharArray(), "PKCS12", null), new TrustAllTrustManager());
      InMemoryDirectoryServerConfig config = new InMemoryDirectoryServerConfig(baseDn);
      config.addAdditionalBindCredentials(serviceDn, SERVICE_PASSWORD);
      if (schema) {
        try (InputStream rfc2307 = InMemoryLdap.class.getResourceAsStream("/ldap/rfc2307-schema.ldif")) {
          config.setSchema(Schema.mergeSchemas(Schema.getDefaultStandardSchema(), Schema.getSchema(rfc2307)));
        }
      } else {
        config.setSchema(null);
      }
      List<InMemoryListenerConfig> listeners = new ArrayList<>();
      // Fixed ports, so a stopped server comes back where clients expect it.
      listeners.add(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(),
          FreePorts.next(), serverTls.createSSLSocketFactory()));
      listeners.add(InMemoryListenerConfig.createLDAPSConfig("ldaps", InetAddress.getLoopbackAddress(),
          FreePorts.next(), serverTls.createSSLServerSocketFactory(), null));
      config.setListenerConfigs(listeners);
      for (InMemoryOperationInterceptor interceptor : interceptors) {
        config.addInMemoryOperationInterceptor(interceptor);
      }
      InMemoryDirectoryServer server = new InMemoryDirectoryServer(config);
      server.importFromLDIF(true, new LDIFReader(in));
      server.startListening();
      return new InMemoryLdap(server);
    } catch (Exception e) {
      throw new IllegalStateException("cannot start the in-memory directory: " + e.getMessage(), e);
    }
  }

  /** @return the server, for direct inspection or changes */
  public InMemoryDirectoryServer server() {
    return server;
  }

  /** @return {@code ldap://127.0.0.1:port} */
  public String url() {
    return "ldap://127.0.0.1:" + server.getListenPort("ldap");
  }

  /** @return {@code ldap://localhost:port}, for StartTLS with hostname verification */
  public String localhostUrl() {
    return "ldap://localhost:" + server.getListenPort("ldap");
  }

  /** @return {@code ldaps://localhost:port} */
  public String ldapsUrl() {
    return "ldaps://localhost:" + server.getListenPort("ldaps");
  }

  /** Stops listening and drops every connection, like a crashed server; the data stays. */
  public void stop() {
    server.shutDown(true);
  }

  /** Listens again on the same ports. */
  public void restart() throws LDAPException {
    server.startListening();
  }

  @Override
  public void close() {
    server.shutDown(true);
  }
}
