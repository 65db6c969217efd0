package io.authgate.core.directory.ldap;

import com.unboundid.ldap.protocol.BindRequestProtocolOp;
import com.unboundid.ldap.protocol.SearchRequestProtocolOp;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.DereferencePolicy;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import io.authgate.core.config.DirectoryConfig;
import io.authgate.core.directory.BindGate;
import io.authgate.core.directory.BindOutcome;
import io.authgate.core.directory.FilterTemplate;
import io.authgate.core.directory.RejectReason;
import io.authgate.core.directory.groups.GroupResolver;
import io.authgate.core.identity.Credentials;
import io.authgate.core.identity.Principal;
import io.vertx.core.Future;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Search-then-bind (or bind to a DN template), account state and groups, as a chain of
 * non-blocking LDAP requests on the calling event loop's {@link ChannelPool}. A refusal is an
 * outcome; an {@link LDAPException} failure means the directory could not answer. Thread-safe.
 */
final class LdapAuthenticator {
  private final DirectoryConfig config;
  private final DirectoryDialect dialect;
  private final GroupResolver groups;
  private final LdapMeters meters;
  private final FilterTemplate userFilter;
  private final List<String> attributes;
  private final List<Control> bindControls;

  LdapAuthenticator(DirectoryConfig config, DirectoryDialect dialect, GroupResolver groups, LdapMeters meters) {
    this.config = config;
    this.dialect = dialect;
    this.groups = groups;
    this.meters = meters;
    this.userFilter = new FilterTemplate(config.userFilter());
    List<String> attrs = new ArrayList<>(List.of(config.attributes().username(), config.attributes().email(),
        config.attributes().displayName(), "cn"));
    attrs.addAll(dialect.accountStateAttributes());
    attrs.addAll(groups.userAttributes());
    this.attributes = attrs.stream().distinct().toList();
    this.bindControls = dialect.bindControls();
  }

  Future<BindOutcome> authenticate(Credentials credentials, BindGate gate, ChannelPool pool) {
    return config.userDnTemplate().isPresent()
        ? bindToTemplate(credentials, config.userDnTemplate().get(), gate, pool)
        : searchThenBind(credentials, gate, pool);
  }

  private Future<BindOutcome> searchThenBind(Credentials credentials, BindGate gate, ChannelPool pool) {
    return findUser(credentials.username(), pool).compose(found -> {
      if (found.isEmpty()) {
        return rejected(RejectReason.NO_SUCH_USER);
      }
      if (found.size() > 1) {
        return rejected(RejectReason.AMBIGUOUS_USER);
      }
      Entry user = found.get(0);
      String account = account(user, credentials.username());
      Optional<RejectReason> unusable = dialect.accountState(user, System.currentTimeMillis());
      if (unusable.isPresent()) {
        return rejected(unusable.get());
      }
      return unlessRefused(gate.admit(account), () ->
          pool.withBindChannel(channel -> bind(channel, user.getDN(), credentials.password()))
              .compose(refused -> refused.isPresent() ? rejected(refused.get())
                  : principal(user, account, request -> searchEntries(request, pool::search))));
    });
  }

  /**
   * Binds straight to the templated DN, then reads the entry and groups as the user, on the same
   * connection. The DN is made of the name typed, so that name is the account the gate is asked about.
   */
  private Future<BindOutcome> bindToTemplate(Credentials credentials, String template, BindGate gate,
                                             ChannelPool pool) {
    String typed = credentials.username();
    String dn = template.replace("{username}", escapeDnValue(typed));
    return unlessRefused(gate.admit(typed), () ->
        pool.withBindChannel(channel -> bind(channel, dn, credentials.password()).compose(refused -> {
          if (refused.isPresent()) {
            return rejected(refused.get());
          }
          GroupResolver.Searcher asUser = request -> searchEntries(request, channel::send);
          SearchRequest own = new SearchRequest(dn, SearchScope.BASE, Filter.createPresenceFilter("objectClass"),
              attributes.toArray(String[]::new));
          return asUser.search(own).compose(entries -> {
            if (entries.isEmpty()) {
              return rejected(RejectReason.NO_SUCH_USER);
            }
            Optional<RejectReason> unusable = dialect.accountState(entries.get(0), System.currentTimeMillis());
            return unusable.isPresent() ? rejected(unusable.get())
                : principal(entries.get(0), account(entries.get(0), typed), asUser);
          });
        })));
  }

  /**
   * @return the bind, unless the gate refused; a gate that admits at once ({@link BindGate#ADMIT},
   *     every login typed with the account's own name) adds no step to the login
   */
  private static Future<BindOutcome> unlessRefused(Future<Optional<RejectReason>> admitted,
                                                   Supplier<Future<BindOutcome>> bind) {
    return admitted == BindGate.ADMIT ? bind.get()
        : admitted.compose(refusal -> refusal.isPresent() ? rejected(refusal.get()) : bind.get());
  }

  /** @return the entry's canonical login name: its username attribute, else the name typed */
  private String account(Entry user, String typed) {
    String name = user.getAttributeValue(config.attributes().username());
    return name != null ? name : typed;
  }

  /** @return the entries matching the login name, at most two (two already say "not unique") */
  private Future<List<SearchResultEntry>> findUser(String username, ChannelPool pool) {
    SearchRequest request = new SearchRequest(config.effectiveUserSearchBase(), SearchScope.SUB,
        userFilter.fill(Map.of("username", username)), attributes.toArray(String[]::new));
    request.setSizeLimit(2);
    request.setTimeLimitSeconds((int) Math.max(1, config.timeouts().response().toSeconds()));
    return searchEntries(request, pool::search)
        .onSuccess(entries -> meters.record(LdapMeters.Operation.SEARCH, LdapMeters.Outcome.SUCCESS))
        .onFailure(e -> meters.record(LdapMeters.Operation.SEARCH, LdapMeters.Outcome.ERROR));
  }

  /** Sends a search and reads its entries; a base that is not here (or only a referral) finds nothing. */
  private static Future<List<SearchResultEntry>> searchEntries(
      SearchRequest request, java.util.function.BiFunction<SearchRequestProtocolOp, List<Control>, Future<LdapReply>> send) {
    SearchRequestProtocolOp op = new SearchRequestProtocolOp(request.getBaseDN(), request.getScope(),
        DereferencePolicy.NEVER, request.getSizeLimit(), request.getTimeLimitSeconds(), false, request.getFilter(),
        request.getAttributeList());
    return send.apply(op, List.of()).compose(reply -> {
      ResultCode code = reply.code();
      if (code == ResultCode.SUCCESS || code == ResultCode.SIZE_LIMIT_EXCEEDED) {
        return Future.succeededFuture(reply.entries());
      }
      if (code == ResultCode.NO_SUCH_OBJECT || code == ResultCode.REFERRAL) {
        return Future.succeededFuture(List.of());
      }
      return Future.failedFuture(new LDAPException(reply.result()));
    });
  }

  /**
   * @return empty when the bind succeeded, else why it was refused (a bind accepted only for a
   *     password change is refused too); failed when the server could not answer
   */
  private Future<Optional<RejectReason>> bind(LdapChannel channel, String dn, String password) {
    return channel.send(new BindRequestProtocolOp(dn, password), bindControls).compose(reply -> {
      ResultCode code = reply.code();
      if (code == ResultCode.SUCCESS) {
        Optional<RejectReason> refused = dialect.acceptedBindRefusal(reply.result());
        meters.record(LdapMeters.Operation.BIND,
            refused.isEmpty() ? LdapMeters.Outcome.SUCCESS : LdapMeters.Outcome.INVALID_CREDENTIALS);
        return Future.succeededFuture(refused);
      }
      if (code == ResultCode.INVALID_CREDENTIALS || code == ResultCode.INAPPROPRIATE_AUTHENTICATION
          || code == ResultCode.UNWILLING_TO_PERFORM) {
        meters.record(LdapMeters.Operation.BIND, LdapMeters.Outcome.INVALID_CREDENTIALS);
        RejectReason reason = code == ResultCode.INVALID_CREDENTIALS
            ? dialect.bindRefusal(new LDAPException(reply.result())) : RejectReason.WRONG_PASSWORD;
        return Future.succeededFuture(Optional.of(reason));
      }
      meters.record(LdapMeters.Operation.BIND, LdapMeters.Outcome.ERROR);
      return Future.failedFuture(new LDAPException(reply.result()));
    }, e -> {
      meters.record(LdapMeters.Operation.BIND, LdapMeters.Outcome.ERROR);
      return Future.failedFuture(e);
    });
  }

  private Future<BindOutcome> principal(Entry user, String username, GroupResolver.Searcher searcher) {
    return groups.resolve(user, username, searcher)
        .andThen(ar -> {
          if (groups.searches()) {
            meters.record(LdapMeters.Operation.GROUPS, ar.succeeded() ? LdapMeters.Outcome.SUCCESS
                : LdapMeters.Outcome.ERROR);
          }
        })
        .map(memberships -> {
          String displayName = Optional.ofNullable(user.getAttributeValue(config.attributes().displayName()))
              .orElse(user.getAttributeValue("cn"));
          return new BindOutcome.Authenticated(new Principal(username, user.getDN(),
              user.getAttributeValue(config.attributes().email()), displayName, memberships, config.name()));
        });
  }

  private static Future<BindOutcome> rejected(RejectReason reason) {
    return Future.succeededFuture(new BindOutcome.Rejected(reason));
  }

  /** @return the value escaped for use as an RDN value, by the SDK's own RDN encoder */
  static String escapeDnValue(String value) {
    return new RDN("x", value).toString().substring(2);
  }

}
