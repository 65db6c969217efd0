package io.authgate.core.directory;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPException;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A search filter with {@code {name}} placeholders, filled in one pass with values escaped by the
 * SDK ({@link Filter#encodeValue(String)}), so a value can never add filter syntax. Immutable.
 */
public final class FilterTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{(username|dn)}");
  private final String template;

  /** @param template a filter with {@code {username}} and {@code {dn}} placeholders; never null */
  public FilterTemplate(String template) {
    this.template = template;
  }

  /**
   * @param values placeholder name to raw value
   * @return the filter with every placeholder replaced by its escaped value (empty when missing)
   * @throws LDAPException when the result is not a valid filter
   */
  public Filter fill(Map<String, String> values) throws LDAPException {
    Matcher m = PLACEHOLDER.matcher(template);
    StringBuilder out = new StringBuilder(template.length() + 64);
    while (m.find()) {
      String value = values.get(m.group(1));
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? "" : Filter.encodeValue(value)));
    }
    m.appendTail(out);
    return Filter.create(out.toString());
  }
}
