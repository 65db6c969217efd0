package io.authgate.sync.directory;

import com.unboundid.asn1.ASN1OctetString;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.controls.SimplePagedResultsControl;
import com.unboundid.ldap.sdk.extensions.StartTLSExtendedRequest;
import com.unboundid.util.ssl.HostNameSSLSocketVerifier;
import com.unboundid.util.ssl.JVMDefaultTrustManager;
import com.unboundid.util.ssl.PEMFileTrustManager;
import com.unboundid.util.ssl.SSLUtil;
import io.authgate.core.config.DirectoryConfig;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.TrustManager;

/**
 * A blocking LDAP connection for sync and provisioning (UnboundID), bound as the directory's service
 * account: paged searches (the simple paged-results control, RFC 2696), reads and writes. Call only from worker
 * threads; not thread-safe: one reader per job attempt.
 */
final class LdapReader implements AutoCloseable {
  private final LDAPConnection connection;

  private LdapReader(LDAPConnection connection) {
    this.connection = connection;
  }

  /**
   * Connects to the first URL that answers and binds with the service account.
   *
   * @throws LDAPException when no URL answers or the bind is refused
   */
  static LdapReader open(DirectoryConfig directory) throws LDAPException {
    LDAPException last = null;
    for (String url : directory.urls()) {
      try {
        return new LdapReader(connect(directory, new LDAPURL(url)));
      } catch (LDAPException e) {
        last = e;
      }
    }
    throw last;
  }

  private static LDAPConnection connect(DirectoryConfig directory, LDAPURL url) throws LDAPException {
    LDAPConnectionOptions options = new LDAPConnectionOptions();
    options.setConnectTimeoutMillis((int) directory.timeouts().connect().toMillis());
    options.setResponseTimeoutMillis(Math.max(30_000, directory.timeouts().response().toMillis()));
    options.setFollowReferrals(false);
    boolean ldaps = "ldaps".equalsIgnoreCase(url.getScheme());
    if (ldaps || directory.startTls()) {
      options.setSSLSocketVerifier(new HostNameSSLSocketVerifier(true));
    }
    LDAPConnection connection;
    try {
      connection = ldaps
          ? new LDAPConnection(ssl(directory).createSSLSocketFactory(), options, url.getHost(), url.getPort())
          : new LDAPConnection(options, url.getHost(), url.getPort());
    } catch (GeneralSecurityException e) {
      throw new LDAPException(ResultCode.CONNECT_ERROR, "TLS setup failed: " + e.getMessage(), e);
    }
    try {
      if (directory.startTls()) {
        var result = connection.processExtendedOperation(new StartTLSExtendedRequest(ssl(directory).createSSLContext()));
        if (result.getResultCode() != ResultCode.SUCCESS) {
          throw new LDAPException(result.getResultCode(), "StartTLS refused: " + result.getDiagnosticMessage());
        }
      }
      if (directory.bindDn().isPresent()) {
        connection.bind(directory.bindDn().get(), directory.bindPassword().orElseThrow().reveal());
      }
      return connection;
    } catch (GeneralSecurityException e) {
      connection.close();
      throw new LDAPException(ResultCode.CONNECT_ERROR, "TLS setup failed: " + e.getMessage(), e);
    } catch (LDAPException e) {
      connection.close();
      throw e;
    }
  }

  private static SSLUtil ssl(DirectoryConfig directory) throws LDAPException {
    try {
      TrustManager trust = directory.caFile().isPresent()
          ? new PEMFileTrustManager(directory.caFile().get().toFile()) : JVMDefaultTrustManager.getInstance();
      return new SSLUtil(trust);
    } catch (Exception e) {
      throw new LDAPException(ResultCode.LOCAL_ERROR, "cannot read the CA file: " + e.getMessage(), e);
    }
  }

  /** @return a search a page at a time, not started yet */
  PagedSearch search(String base, Filter filter, String[] attributes, int pageSize) {
    return new PagedSearch(base, filter, attributes, pageSize);
  }

  /** Runs a base-scope search of {@code dn}, the health probe's round trip. */
  void probe(String dn) throws LDAPException {
    connection.search(new SearchRequest(dn, SearchScope.BASE, Filter.createPresenceFilter("objectClass"), "1.1"));
  }

  /** @return the entry with these attributes, or null when there is none */
  com.unboundid.ldap.sdk.SearchResultEntry entry(String dn, String... attributes) throws LDAPException {
    return connection.getEntry(dn, attributes);
  }

  /**
   * Adds an entry and returns the value of an attribute the server gives it (entryUUID, say), read
   * back in the same round trip with the post-read control (RFC 4527) where the server offers it.
   *
   * @return the attribute's value, or null when the entry has none
   */
  String add(com.unboundid.ldap.sdk.Entry entry, String generated) throws LDAPException {
    com.unboundid.ldap.sdk.AddRequest request = new com.unboundid.ldap.sdk.AddRequest(entry);
    request.addControl(new com.unboundid.ldap.sdk.controls.PostReadRequestControl(false, generated));
    com.unboundid.ldap.sdk.LDAPResult result = connection.add(request);
    com.unboundid.ldap.sdk.controls.PostReadResponseControl postRead =
        com.unboundid.ldap.sdk.controls.PostReadResponseControl.get(result);
    if (postRead != null) {
      return postRead.getEntry().getAttributeValue(generated);
    }
    com.unboundid.ldap.sdk.SearchResultEntry added = connection.getEntry(entry.getDN(), generated);
    return added == null ? null : added.getAttributeValue(generated);
  }

  /** Applies modifications to an entry. */
  void modify(String dn, List<com.unboundid.ldap.sdk.Modification> modifications) throws LDAPException {
    connection.modify(dn, modifications);
  }

  /** Deletes an entry; one that is already gone is not an error. */
  void delete(String dn) throws LDAPException {
    try {
      connection.delete(dn);
    } catch (LDAPException e) {
      if (e.getResultCode() != ResultCode.NO_SUCH_OBJECT) {
        throw e;
      }
    }
  }

  @Override
  public void close() {
    connection.close();
  }

  /** A subtree search read a page at a time. Not thread-safe. */
  final class PagedSearch {
    private final String base;
    private final Filter filter;
    private final String[] attributes;
    private final int pageSize;
    private ASN1OctetString cookie;
    private boolean done;

    private PagedSearch(String base, Filter filter, String[] attributes, int pageSize) {
      this.base = base;
      this.filter = filter;
      this.attributes = attributes;
      this.pageSize = pageSize;
    }

    /** @return the next page; empty once {@link #done()} */
    List<SearchResultEntry> next() throws LDAPException {
      if (done) {
        return List.of();
      }
      SearchRequest request = new SearchRequest(base, SearchScope.SUB, filter, attributes);
      request.setControls(new SimplePagedResultsControl(pageSize, cookie, true));
      SearchResult result = connection.search(request);
      SimplePagedResultsControl paging = SimplePagedResultsControl.get(result);
      cookie = paging == null ? null : paging.getCookie();
      done = paging == null || !paging.moreResultsToReturn();
      return result.getSearchEntries();
    }

    /** @return whether the last page was read */
    boolean done() {
      return done;
    }
  }
}
