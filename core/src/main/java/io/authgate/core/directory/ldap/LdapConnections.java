package io.authgate.core.directory.ldap;

import com.unboundid.ldap.sdk.BindRequest;
import com.unboundid.ldap.sdk.FailoverServerSet;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPConnectionPool;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.PostConnectProcessor;
import com.unboundid.ldap.sdk.ServerSet;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import com.unboundid.ldap.sdk.SingleServerSet;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import io.authgate.core.config.DirectoryConfig;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.net.SocketFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;

/**
 * Builds the connection pools of one directory from its configuration: failover across its URLs,
 * LDAPS or StartTLS with hostname verification, timeouts, referrals never followed. Stateless.
 */
final class LdapConnections {
  private LdapConnections() {}

  /** Connection options: timeouts, no referral chasing, hostname checks on TLS. */
  static LDAPConnectionOptions options(DirectoryConfig config) {
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis((int) config.timeouts().connect().toMillis());
    options.setResponseTimeoutMillis(config.timeouts().response().toMillis());
    options.setFollowReferrals(false);
    options.setUseSynchronousMode(true);
    options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
    options.setAbandonOnTimeout(true);
    return options;
  }

  /** The servers to connect to, in failover order; a failing server moves to the back. */
  static ServerSet servers(DirectoryConfig config, LDAPConnectionOptions options) throws LDAPException {
    SSLContext tls = needsTls(config) ? tlsContext(config) : null;
    List<ServerSet> sets = new ArrayList<>();
    for (String raw : config.urls()) {
      LDAPURL url = new LDAPURL(raw);
      boolean ldaps = url.getScheme().toLowerCase(Locale.ROOT).equals("ldaps");
      SocketFactory sockets = ldaps ? tls.getSocketFactory() : SocketFactory.getDefault();
      sets.add(new SingleServerSet(url.getHost(), url.getPort(), sockets, options));
    }
    FailoverServerSet failover = new FailoverServerSet(sets);
    failover.setReOrderOnFailover(true);
    return failover;
  }

  /** @return the StartTLS step every new connection takes, or null without StartTLS */
  static PostConnectProcessor startTls(DirectoryConfig config) throws LDAPException {
    if (!config.startTls()) {
      return null;
    }
    SSLContext tls = tlsContext(config);
    return new PostConnectProcessor() {
      @Override
      public void processPreAuthenticatedConnection(com.unboundid.ldap.sdk.LDAPConnection connection)
          throws LDAPException {
        connection.processExtendedOperation(new StartTLSExtendedRequest(tls));
      }

      @Override
      public void processPostAuthenticatedConnection(com.unboundid.ldap.sdk.LDAPConnection connection) {
        // nothing after authentication
      }
    };
  }

  /**
   * A pool of connections. The search pool binds as the service account (anonymous without one);
   * the bind pool stays unauthenticated and is only used to bind users.
   */
  static LDAPConnectionPool pool(DirectoryConfig config, ServerSet servers, BindRequest bind, int initial)
      throws LDAPException {
    LDAPConnectionPool pool = new LDAPConnectionPool(servers, bind, initial, config.pool().max(),
        Math.min(initial, 4), startTls(config), false);
    // Bounded by the worker pool (one connection per worker), so creating on demand never passes max.
    pool.setCreateIfNecessary(true);
    pool.setMaxWaitTimeMillis(config.timeouts().poolWait().toMillis());
    pool.setMaxConnectionAgeMillis(30 * 60_000L);
    pool.setHealthCheckIntervalMillis(60_000L);
    return pool;
  }

  /** @return the service account's bind, or null for anonymous searches */
  static BindRequest serviceBind(DirectoryConfig config) {
    return config.bindDn()
        .map(dn -> (BindRequest) new SimpleBindRequest(dn, config.bindPassword().orElseThrow().reveal()))
        .orElse(null);
  }

  private static boolean needsTls(DirectoryConfig config) {
    return config.urls().stream().anyMatch(u -> u.toLowerCase(Locale.ROOT).startsWith("ldaps:"));
  }

  private static SSLContext tlsContext(DirectoryConfig config) throws LDAPException {
    try {
      TrustManager trust = config.caFile().isPresent()
          ? new PEMFileTrustManager(config.caFile().get().toFile())
          : JVMDefaultTrustManager.getInstance();
      return new SSLUtil(trust).createSSLContext();
    } catch (GeneralSecurityException e) {
      throw new LDAPException(com.unboundid.ldap.sdk.ResultCode.LOCAL_ERROR,
          "cannot set up TLS for directory " + config.name() + ": " + e.getMessage(), e);
    }
  }
}
