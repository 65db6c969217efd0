package io.authgate.core.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.Map;

/**
 * A search filter with {@code {username}} and {@code {dn}} placeholders, parsed once. Filling it
 * puts each value into the parsed filter as an assertion value, never through the filter parser,
 * so a value can never add filter syntax ({@code *}, parentheses, {@code |}). Immutable and
 * thread-safe.
 */
public final class FilterTemplate {
  /** Stand-ins parsed in place of the placeholders; no real value contains a NUL. */
  private static final Map<String, String> TOKENS = Map.of(
      "{username}", "\u0000authgate:username\u0000", "{dn}", "\u0000authgate:dn\u0000");

  private final Filter parsed;

  /**
   * @param template a filter with {@code {username}} and {@code {dn}} placeholders; never null
   * @throws IllegalArgumentException when it is not a valid filter
   */
  public FilterTemplate(String template) {
    String tokenized = template;
    for (Map.Entry<String, String> token : TOKENS.entrySet()) {
      tokenized = tokenized.replace(token.getKey(), Filter.encodeValue(token.getValue()));
    }
    try {
      this.parsed = Filter.create(tokenized);
    } catch (LDAPException e) {
      throw new IllegalArgumentException("\"" + template + "\" is not a valid LDAP filter", e);
    }
  }

  /**
   * @param values placeholder name ({@code username}, {@code dn}) to raw value
   * @return the filter with every placeholder replaced by its value (empty when missing)
   */
  public Filter fill(Map<String, String> values) {
    return substitute(parsed, values);
  }

  private static Filter substitute(Filter filter, Map<String, String> values) {
    switch (filter.getFilterType()) {
      case Filter.FILTER_TYPE_AND, Filter.FILTER_TYPE_OR -> {
        Filter[] parts = filter.getComponents();
        Filter[] filled = new Filter[parts.length];
        for (int i = 0; i < parts.length; i++) {
          filled[i] = substitute(parts[i], values);
        }
        return filter.getFilterType() == Filter.FILTER_TYPE_AND ? Filter.createANDFilter(filled)
            : Filter.createORFilter(filled);
      }
      case Filter.FILTER_TYPE_NOT -> {
        return Filter.createNOTFilter(substitute(filter.getNOTComponent(), values));
      }
      case Filter.FILTER_TYPE_EQUALITY -> {
        return Filter.createEqualityFilter(filter.getAttributeName(), value(filter.getAssertionValue(), values));
      }
      case Filter.FILTER_TYPE_APPROXIMATE_MATCH -> {
        return Filter.createApproximateMatchFilter(filter.getAttributeName(),
            value(filter.getAssertionValue(), values));
      }
      case Filter.FILTER_TYPE_GREATER_OR_EQUAL -> {
        return Filter.createGreaterOrEqualFilter(filter.getAttributeName(), value(filter.getAssertionValue(), values));
      }
      case Filter.FILTER_TYPE_LESS_OR_EQUAL -> {
        return Filter.createLessOrEqualFilter(filter.getAttributeName(), value(filter.getAssertionValue(), values));
      }
      case Filter.FILTER_TYPE_EXTENSIBLE_MATCH -> {
        return Filter.createExtensibleMatchFilter(filter.getAttributeName(), filter.getMatchingRuleID(),
            filter.getDNAttributes(), value(filter.getAssertionValue(), values));
      }
      case Filter.FILTER_TYPE_SUBSTRING -> {
        String[] any = filter.getSubAnyStrings();
        String[] filledAny = new String[any.length];
        for (int i = 0; i < any.length; i++) {
          filledAny[i] = value(any[i], values);
        }
        String initial = filter.getSubInitialString();
        String last = filter.getSubFinalString();
        return Filter.createSubstringFilter(filter.getAttributeName(), initial == null ? null : value(initial, values),
            filledAny, last == null ? null : value(last, values));
      }
      default -> {
        return filter;
      }
    }
  }

  /** Replaces every stand-in inside an assertion value by its value. */
  private static String value(String assertion, Map<String, String> values) {
    if (assertion.indexOf('\u0000') < 0) {
      return assertion;
    }
    String filled = assertion;
    for (Map.Entry<String, String> token : TOKENS.entrySet()) {
      String name = token.getKey().substring(1, token.getKey().length() - 1);
      filled = filled.replace(token.getValue(), values.getOrDefault(name, ""));
    }
    return filled;
  }
}
