package io.authgate.core.directory.ldap;

import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPSearchException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.ldap.sdk.SimpleBindRequest;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.directory.BindOutcome;
import io.authgate.core.directory.FilterTemplate;
import io.authgate.core.directory.RejectReason;
import io.authgate.core.directory.groups.GroupResolver;
import io.authgate.core.identity.Credentials;
import io.authgate.core.identity.Group;
import io.authgate.core.identity.Principal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Search-then-bind (or bind to a DN template), account state and groups: the blocking half of an
 * LDAP authentication. Runs on a worker thread only. Thread-safe.
 */
final class LdapAuthenticator {
  private final DirectoryConfig config;
  private final DirectoryDialect dialect;
  private final GroupResolver groups;
  private final LdapPool searchPool;
  private final LdapPool bindPool;
  private final LdapMeters meters;
  private final FilterTemplate userFilter;
  private final String[] attributes;
  private final Control[] bindControls;

  LdapAuthenticator(DirectoryConfig config, DirectoryDialect dialect, GroupResolver groups, LdapPool searchPool,
                    LdapPool bindPool, LdapMeters meters) {
    this.config = config;
    this.dialect = dialect;
    this.groups = groups;
    this.searchPool = searchPool;
    this.bindPool = bindPool;
    this.meters = meters;
    this.userFilter = new FilterTemplate(config.userFilter());
    List<String> attrs = new ArrayList<>(List.of(config.attributes().username(), config.attributes().email(),
        config.attributes().displayName(), "cn"));
    attrs.addAll(dialect.accountStateAttributes());
    attrs.addAll(groups.userAttributes());
    this.attributes = attrs.stream().distinct().toArray(String[]::new);
    this.bindControls = dialect.bindControls().toArray(Control[]::new);
  }

  BindOutcome authenticate(Credentials credentials) throws LDAPException {
    return config.userDnTemplate().isPresent()
        ? bindToTemplate(credentials, config.userDnTemplate().get())
        : searchThenBind(credentials);
  }

  private BindOutcome searchThenBind(Credentials credentials) throws LDAPException {
    List<SearchResultEntry> found = findUser(credentials.username());
    if (found.isEmpty()) {
      return new BindOutcome.Rejected(RejectReason.NO_SUCH_USER);
    }
    if (found.size() > 1) {
      return new BindOutcome.Rejected(RejectReason.AMBIGUOUS_USER);
    }
    Entry user = found.get(0);
    Optional<RejectReason> unusable = dialect.accountState(user, System.currentTimeMillis());
    if (unusable.isPresent()) {
      return new BindOutcome.Rejected(unusable.get());
    }
    Optional<RejectReason> refused = bindPool.run(connection -> bind(connection, user.getDN(), credentials.password()));
    if (refused.isPresent()) {
      return new BindOutcome.Rejected(refused.get());
    }
    return new BindOutcome.Authenticated(principal(user, credentials.username(), searchPool::run));
  }

  /** Binds straight to the templated DN, then reads the entry and groups as the user, on the same connection. */
  private BindOutcome bindToTemplate(Credentials credentials, String template) throws LDAPException {
    String dn = template.replace("{username}", escapeDnValue(credentials.username()));
    return bindPool.run(connection -> {
      Optional<RejectReason> refused = bind(connection, dn, credentials.password());
      if (refused.isPresent()) {
        return new BindOutcome.Rejected(refused.get());
      }
      Entry user = connection.getEntry(dn, attributes);
      if (user == null) {
        return new BindOutcome.Rejected(RejectReason.NO_SUCH_USER);
      }
      Optional<RejectReason> unusable = dialect.accountState(user, System.currentTimeMillis());
      if (unusable.isPresent()) {
        return new BindOutcome.Rejected(unusable.get());
      }
      return new BindOutcome.Authenticated(principal(user, credentials.username(), call -> call.run(connection)));
    });
  }

  /** @return the entries matching the login name, at most two (two already say "not unique") */
  private List<SearchResultEntry> findUser(String username) throws LDAPException {
    SearchRequest request = new SearchRequest(config.effectiveUserSearchBase(), SearchScope.SUB,
        userFilter.fill(Map.of("username", username)), attributes);
    request.setSizeLimit(2);
    request.setTimeLimitSeconds((int) Math.max(1, config.timeouts().response().toSeconds()));
    try {
      SearchResult result = searchPool.run(connection -> connection.search(request));
      meters.operation(LdapMeters.SEARCH, "success");
      return result.getSearchEntries();
    } catch (LDAPSearchException e) {
      if (e.getResultCode() == ResultCode.SIZE_LIMIT_EXCEEDED) {
        meters.operation(LdapMeters.SEARCH, "success");
        return e.getSearchEntries();
      }
      if (e.getResultCode() == ResultCode.NO_SUCH_OBJECT || e.getResultCode() == ResultCode.REFERRAL) {
        // The base is not held here (or only by a referral we do not follow): nobody by that name.
        meters.operation(LdapMeters.SEARCH, "success");
        return List.of();
      }
      meters.operation(LdapMeters.SEARCH, "error");
      throw e;
    }
  }

  private Optional<RejectReason> bind(LDAPConnection connection, String dn, String password) throws LDAPException {
    try {
      connection.bind(new SimpleBindRequest(dn, password, bindControls));
      meters.operation(LdapMeters.BIND, "success");
      return Optional.empty();
    } catch (LDAPException e) {
      ResultCode code = e.getResultCode();
      if (code == ResultCode.INVALID_CREDENTIALS || code == ResultCode.INAPPROPRIATE_AUTHENTICATION
          || code == ResultCode.UNWILLING_TO_PERFORM) {
        meters.operation(LdapMeters.BIND, "invalid_credentials");
        return Optional.of(code == ResultCode.INVALID_CREDENTIALS ? dialect.bindRefusal(e) : RejectReason.WRONG_PASSWORD);
      }
      meters.operation(LdapMeters.BIND, "error");
      throw e;
    }
  }

  /** Runs a group search on some connection: the service account's, or the user's own. */
  @FunctionalInterface
  private interface SearchRunner {
    SearchResult run(LdapPool.Call<SearchResult> call) throws LDAPException;
  }

  private Principal principal(Entry user, String typed, SearchRunner runner) throws LDAPException {
    String username = Optional.ofNullable(user.getAttributeValue(config.attributes().username())).orElse(typed);
    List<Group> memberships;
    try {
      memberships = groups.resolve(user, username, request -> runner.run(c -> c.search(request)));
      if (groups.searches()) {
        meters.operation(LdapMeters.GROUPS, "success");
      }
    } catch (LDAPException e) {
      meters.operation(LdapMeters.GROUPS, "error");
      throw e;
    }
    String displayName = Optional.ofNullable(user.getAttributeValue(config.attributes().displayName()))
        .orElse(user.getAttributeValue("cn"));
    return new Principal(username, user.getDN(), user.getAttributeValue(config.attributes().email()), displayName,
        memberships, config.name());
  }

  /** @return the value escaped for use as an RDN value, by the SDK's own RDN encoder */
  static String escapeDnValue(String value) {
    return new RDN("x", value).toString().substring(2);
  }
}
