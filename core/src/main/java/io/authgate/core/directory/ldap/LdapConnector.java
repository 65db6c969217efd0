package io.authgate.core.directory.ldap;

import com.unboundid.ldap.protocol.BindRequestProtocolOp;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import io.authgate.core.config.DirectoryConfig;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.ConnectOptions;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens connections to one directory: its URLs in failover order (starting with the last one that
 * worked), LDAPS or StartTLS with the configured CA and hostname verification, and optionally a
 * bind as the service account. Referrals are never followed. Thread-safe; the connections it opens
 * belong to the calling event loop.
 */
final class LdapConnector {
  private static final Logger LOG = LoggerFactory.getLogger(LdapConnector.class);

  /** One server to try. */
  private record Endpoint(String host, int port, boolean ldaps) {
    @Override
    public String toString() {
      return (ldaps ? "ldaps://" : "ldap://") + host + ":" + port;
    }
  }

  private final Vertx vertx;
  private final DirectoryConfig config;
  private final NetClient client;
  private final List<Endpoint> endpoints;
  private final ClientSSLOptions tls;
  private volatile int preferred;

  LdapConnector(Vertx vertx, DirectoryConfig config) throws LDAPException {
    this.vertx = vertx;
    this.config = config;
    this.client = vertx.createNetClient(new NetClientOptions()
        .setConnectTimeout((int) config.timeouts().connect().toMillis())
        .setTcpNoDelay(true)
        .setTcpKeepAlive(true));
    List<Endpoint> list = new ArrayList<>();
    for (String raw : config.urls()) {
      LDAPURL url = new LDAPURL(raw);
      list.add(new Endpoint(url.getHost(), url.getPort(), url.getScheme().toLowerCase(Locale.ROOT).equals("ldaps")));
    }
    this.endpoints = List.copyOf(list);
    ClientSSLOptions options = new ClientSSLOptions().setHostnameVerificationAlgorithm("LDAPS");
    config.caFile().ifPresent(ca -> options.setTrustOptions(new PemTrustOptions().addCertPath(ca.toString())));
    this.tls = options;
  }

  /**
   * @param bindAsService whether to bind as the configured service account (when there is one)
   * @return an open connection; failed with an {@link LDAPException} when no server could be used
   */
  Future<LdapChannel> open(boolean bindAsService) {
    return attempt(preferred, 0, bindAsService, null);
  }

  private Future<LdapChannel> attempt(int index, int tried, boolean bindAsService, Throwable last) {
    if (tried == endpoints.size()) {
      return Future.failedFuture(last instanceof LDAPException ? last
          : new LDAPException(ResultCode.CONNECT_ERROR, "no server of directory " + config.name() + " could be reached: "
              + (last == null ? "no URL" : last.getMessage()), last));
    }
    Endpoint endpoint = endpoints.get(index % endpoints.size());
    return connect(endpoint, bindAsService)
        .onSuccess(channel -> preferred = index % endpoints.size())
        .recover(failure -> {
          if (failure instanceof LDAPException refused && refused.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
            return Future.failedFuture(failure);
          }
          return attempt(index + 1, tried + 1, bindAsService, failure);
        });
  }

  private Future<LdapChannel> connect(Endpoint endpoint, boolean bindAsService) {
    ConnectOptions options = new ConnectOptions().setHost(endpoint.host()).setPort(endpoint.port());
    if (endpoint.ldaps()) {
      options.setSsl(true).setSslOptions(tls);
    }
    long timeout = config.timeouts().response().toMillis();
    Future<LdapChannel> opened = client.connect(options)
        .map(socket -> new LdapChannel(vertx, socket, timeout))
        .recover(e -> Future.failedFuture(new LDAPException(ResultCode.CONNECT_ERROR,
            "cannot connect to " + endpoint + ": " + e.getMessage(), e)));
    if (config.startTls()) {
      opened = opened.compose(channel -> channel.startTls(tls, endpoint.host()).map(channel)
          .onFailure(e -> channel.close())
          .recover(e -> Future.failedFuture(new LDAPException(ResultCode.CONNECT_ERROR,
              "StartTLS with " + endpoint + " failed: " + e.getMessage(), e))));
    }
    if (bindAsService && config.bindDn().isPresent()) {
      opened = opened.compose(channel -> bindService(channel, endpoint));
    }
    return opened;
  }

  private Future<LdapChannel> bindService(LdapChannel channel, Endpoint endpoint) {
    BindRequestProtocolOp bind = new BindRequestProtocolOp(config.bindDn().orElseThrow(),
        config.bindPassword().orElseThrow().reveal());
    return channel.send(bind, List.of()).compose(reply -> {
      if (reply.code() == ResultCode.SUCCESS) {
        return Future.succeededFuture(channel);
      }
      channel.close();
      LOG.atError().addKeyValue("event", "ldap.service_bind_refused").addKeyValue("directory", config.name())
          .addKeyValue("server", endpoint.toString()).addKeyValue("resultCode", reply.code().intValue())
          .log("the directory refused the service account's bind: check bindDn and bindPassword");
      return Future.failedFuture(new LDAPException(reply.result()));
    }, e -> {
      channel.close();
      return Future.failedFuture(e);
    });
  }

  /** Closes the client; open connections close with their pools. */
  Future<Void> close() {
    return client.close();
  }
}
