package io.authgate.core.directory.ad;

import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import io.authgate.core.directory.RejectReason;
import io.authgate.core.directory.ldap.DirectoryDialect;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Active Directory. A refused bind carries a sub-code in its diagnostic message
 * ({@code 80090308: LdapErr: DSID-0C09042A, comment: AcceptSecurityContext error, data 52e, v4563}),
 * which says why; {@code userAccountControl} and {@code accountExpires} say an account is unusable
 * before any bind.
 */
public final class ActiveDirectoryDialect implements DirectoryDialect {
  /** The one instance; stateless. */
  public static final ActiveDirectoryDialect INSTANCE = new ActiveDirectoryDialect();

  static final String USER_ACCOUNT_CONTROL = "userAccountControl";
  static final String ACCOUNT_EXPIRES = "accountExpires";
  /** userAccountControl bit: the account is disabled. */
  static final long ACCOUNTDISABLE = 0x0002;
  /** Milliseconds between 1601-01-01 (Windows FILETIME epoch) and 1970-01-01. */
  private static final long FILETIME_EPOCH_OFFSET_MILLIS = 11_644_473_600_000L;
  private static final Pattern DATA_CODE = Pattern.compile("\\bdata ([0-9a-fA-F]{3,4})\\b");

  /** The AD sub-codes of a refused bind. */
  private static final Map<String, RejectReason> SUB_CODES = Map.of(
      "525", RejectReason.NO_SUCH_USER,
      "52e", RejectReason.WRONG_PASSWORD,
      "530", RejectReason.LOGON_HOURS,
      "531", RejectReason.WORKSTATION,
      "532", RejectReason.PASSWORD_EXPIRED,
      "533", RejectReason.ACCOUNT_DISABLED,
      "701", RejectReason.ACCOUNT_EXPIRED,
      "773", RejectReason.PASSWORD_MUST_CHANGE,
      "775", RejectReason.ACCOUNT_LOCKED);

  private ActiveDirectoryDialect() {}

  @Override
  public List<Control> bindControls() {
    return List.of();
  }

  @Override
  public List<String> accountStateAttributes() {
    return List.of(USER_ACCOUNT_CONTROL, ACCOUNT_EXPIRES);
  }

  @Override
  public Optional<RejectReason> accountState(Entry entry, long nowMillis) {
    Long uac = entry.getAttributeValueAsLong(USER_ACCOUNT_CONTROL);
    if (uac != null && (uac & ACCOUNTDISABLE) != 0) {
      return Optional.of(RejectReason.ACCOUNT_DISABLED);
    }
    Long expires = entry.getAttributeValueAsLong(ACCOUNT_EXPIRES);
    // 0 and 0x7FFFFFFFFFFFFFFF both mean "never".
    if (expires != null && expires > 0 && expires != Long.MAX_VALUE
        && expires / 10_000 - FILETIME_EPOCH_OFFSET_MILLIS <= nowMillis) {
      return Optional.of(RejectReason.ACCOUNT_EXPIRED);
    }
    return Optional.empty();
  }

  @Override
  public RejectReason bindRefusal(LDAPException refusal) {
    return subCode(refusal.getDiagnosticMessage()).map(SUB_CODES::get).orElse(RejectReason.WRONG_PASSWORD);
  }

  /** Active Directory refuses the bind of a password that must be changed ({@code data 773}): nothing to add. */
  @Override
  public Optional<RejectReason> acceptedBindRefusal(LDAPResult accepted) {
    return Optional.empty();
  }

  /** @return the {@code data XXX} sub-code of an AD diagnostic message, lower case */
  static Optional<String> subCode(String diagnostic) {
    if (diagnostic == null) {
      return Optional.empty();
    }
    Matcher m = DATA_CODE.matcher(diagnostic);
    return m.find() ? Optional.of(m.group(1).toLowerCase(java.util.Locale.ROOT)) : Optional.empty();
  }
}
