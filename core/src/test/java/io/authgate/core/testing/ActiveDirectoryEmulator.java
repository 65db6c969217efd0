package io.authgate.core.testing;

import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSearchRequest;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import com.unboundid.ldap.sdk.BindResult;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Active Directory's observable behaviour on top of UnboundID's in-memory server, for tests where
 * no real domain controller is available: refused binds carry AD's diagnostic message with its
 * {@code data XXX} sub-code (52e for a wrong password; an entry's {@code description:
 * ad-bind-data=XXX} makes a correct bind fail with XXX, as AD does for locked, expired or
 * restricted accounts), and {@code member:1.2.840.113556.1.4.1941:=<dn>}
 * (LDAP_MATCHING_RULE_IN_CHAIN) matches every group that contains the DN directly or through
 * nested groups. Base {@code DC=corp,DC=test}, seeded from {@code ldap/active-directory.ldif}.
 */
public final class ActiveDirectoryEmulator extends InMemoryOperationInterceptor {
  /** The domain's base DN. */
  public static final String BASE_DN = "DC=corp,DC=test";
  /** The service account. */
  public static final String SERVICE_DN = "CN=svc-authgate,CN=Users,DC=corp,DC=test";
  /** OID of LDAP_MATCHING_RULE_IN_CHAIN. */
  public static final String IN_CHAIN = "1.2.840.113556.1.4.1941";
  private static final String MARKER = "ad-bind-data=";

  private volatile InMemoryLdap ldap;

  private ActiveDirectoryEmulator() {}

  /** @return a running AD-like directory */
  public static InMemoryLdap start() {
    ActiveDirectoryEmulator emulator = new ActiveDirectoryEmulator();
    InMemoryLdap ldap = InMemoryLdap.start(BASE_DN, "/ldap/active-directory.ldif", false, SERVICE_DN, emulator);
    emulator.ldap = ldap;
    return ldap;
  }

  /** @return the {@code description} that makes the entry's right password refused with {@code data subCode} */
  public static String refusingBindsWith(String subCode) {
    return MARKER + subCode;
  }

  /** @return the diagnostic message AD sends with a refused bind */
  public static String diagnostic(String subCode) {
    return "80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data " + subCode + ", v4563";
  }

  @Override
  public void processSimpleBindResult(InMemoryInterceptedSimpleBindResult bind) {
    BindResult result = bind.getResult();
    String dn = bind.getRequest().getBindDN();
    if (result.getResultCode() == ResultCode.INVALID_CREDENTIALS) {
      bind.setResult(refused(result, "52e"));
    } else if (result.getResultCode() == ResultCode.SUCCESS && !dn.isEmpty()) {
      try {
        Entry entry = ldap.server().getEntry(dn);
        String description = entry == null ? null : entry.getAttributeValue("description");
        if (description != null && description.startsWith(MARKER)) {
          bind.setResult(refused(result, description.substring(MARKER.length())));
        }
      } catch (LDAPException e) {
        bind.setResult(refused(result, "52e"));
      }
    }
  }

  private static BindResult refused(BindResult original, String subCode) {
    return new BindResult(original.getMessageID(), ResultCode.INVALID_CREDENTIALS, diagnostic(subCode), null, null,
        null);
  }

  @Override
  public void processSearchRequest(InMemoryInterceptedSearchRequest intercepted) {
    com.unboundid.ldap.sdk.ReadOnlySearchRequest request = intercepted.getRequest();
    try {
      Filter rewritten = rewrite(request.getFilter());
      if (rewritten != request.getFilter()) {
        SearchRequest copy = request.duplicate();
        copy.setFilter(rewritten);
        intercepted.setRequest(copy);
      }
    } catch (LDAPException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Replaces each in-chain component by the equivalent {@code (|(member=a)(member=b)...)} over the closure. */
  private Filter rewrite(Filter filter) throws LDAPException {
    switch (filter.getFilterType()) {
      case Filter.FILTER_TYPE_AND, Filter.FILTER_TYPE_OR -> {
        Filter[] parts = filter.getComponents();
        Filter[] out = new Filter[parts.length];
        boolean changed = false;
        for (int i = 0; i < parts.length; i++) {
          out[i] = rewrite(parts[i]);
          changed |= out[i] != parts[i];
        }
        if (!changed) {
          return filter;
        }
        return filter.getFilterType() == Filter.FILTER_TYPE_AND ? Filter.createANDFilter(out)
            : Filter.createORFilter(out);
      }
      case Filter.FILTER_TYPE_NOT -> {
        Filter inner = rewrite(filter.getNOTComponent());
        return inner == filter.getNOTComponent() ? filter : Filter.createNOTFilter(inner);
      }
      case Filter.FILTER_TYPE_EXTENSIBLE_MATCH -> {
        if (!IN_CHAIN.equals(filter.getMatchingRuleID())) {
          return filter;
        }
        List<Filter> members = new ArrayList<>();
        for (String dn : closure(filter.getAssertionValue())) {
          members.add(Filter.createEqualityFilter(filter.getAttributeName(), dn));
        }
        return Filter.createORFilter(members);
      }
      default -> {
        return filter;
      }
    }
  }

  /** @return the DN and every group that contains it, directly or through other groups */
  private List<String> closure(String dn) throws LDAPException {
    Set<String> seen = new LinkedHashSet<>();
    List<String> closure = new ArrayList<>();
    Deque<String> queue = new ArrayDeque<>(List.of(dn));
    while (!queue.isEmpty()) {
      String next = queue.poll();
      if (!seen.add(next.toLowerCase(Locale.ROOT))) {
        continue;
      }
      closure.add(next);
      for (SearchResultEntry group : ldap.server().search(BASE_DN, SearchScope.SUB,
          Filter.createEqualityFilter("member", next), "1.1").getSearchEntries()) {
        queue.add(group.getDN());
      }
    }
    return closure;
  }
}
