package io.authgate.core.directory.ldap;

import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10ErrorType;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10RequestControl;
import com.unboundid.ldap.sdk.experimental.DraftBeheraLDAPPasswordPolicy10ResponseControl;
import io.authgate.core.directory.RejectReason;
import java.util.List;
import java.util.Optional;

/**
 * OpenLDAP and other RFC 4519 directories: the ppolicy overlay's administrative lock
 * ({@code pwdAccountLockedTime: 000001010000Z}) refuses an account before any bind, and a
 * password-policy response control on a refused bind says why (a lock after failed binds among
 * them). A bind ppolicy accepts with the error {@code changeAfterReset} (the password was set by
 * an administrator and {@code pwdMustChange} is on) opens a connection restricted to changing the
 * password: the login is refused, as Active Directory refuses it ({@code data 773}). A bind
 * accepted with a warning only (grace logins left after the password expired, or its expiry near)
 * is a login: the directory allows it.
 */
public final class OpenLdapDialect implements DirectoryDialect {
  /** The one instance; stateless. */
  public static final OpenLdapDialect INSTANCE = new OpenLdapDialect();
  /** ppolicy's lock: when the account was locked, or {@link #LOCKED_BY_ADMINISTRATOR}. */
  public static final String PWD_ACCOUNT_LOCKED_TIME = "pwdAccountLockedTime";
  /** The lock time ppolicy reads as "locked until an administrator unlocks". */
  public static final String LOCKED_BY_ADMINISTRATOR = "000001010000Z";

  private OpenLdapDialect() {}

  @Override
  public List<Control> bindControls() {
    return List.of(new DraftBeheraLDAPPasswordPolicy10RequestControl());
  }

  @Override
  public List<String> accountStateAttributes() {
    return List.of(PWD_ACCOUNT_LOCKED_TIME);
  }

  /**
   * Refuses an administrative lock before any bind. A lock after failed binds carries its time and
   * lasts the policy's {@code pwdLockoutDuration}, which only slapd knows; the stamp stays on the
   * entry after the lock ran out, until the next bind clears it. So that lock is slapd's to judge:
   * the bind is refused while it lasts ({@code accountLocked}) and succeeds after.
   */
  @Override
  public Optional<RejectReason> accountState(Entry entry, long nowMillis) {
    return lockedByAdministrator(entry) ? Optional.of(RejectReason.ACCOUNT_LOCKED) : Optional.empty();
  }

  /** @return whether the entry carries ppolicy's administrative lock (not a lock after failed binds) */
  public static boolean lockedByAdministrator(Entry entry) {
    return LOCKED_BY_ADMINISTRATOR.equals(entry.getAttributeValue(PWD_ACCOUNT_LOCKED_TIME));
  }

  @Override
  public RejectReason bindRefusal(LDAPException refusal) {
    DraftBeheraLDAPPasswordPolicy10ErrorType error = policyError(refusal.toLDAPResult());
    return error == null ? RejectReason.WRONG_PASSWORD : reasonOf(error);
  }

  @Override
  public Optional<RejectReason> acceptedBindRefusal(LDAPResult accepted) {
    DraftBeheraLDAPPasswordPolicy10ErrorType error = policyError(accepted);
    return error == null ? Optional.empty() : Optional.of(reasonOf(error));
  }

  /** @return the error of the result's password-policy control; null without one, or when it cannot be read */
  private static DraftBeheraLDAPPasswordPolicy10ErrorType policyError(LDAPResult result) {
    try {
      DraftBeheraLDAPPasswordPolicy10ResponseControl policy =
          DraftBeheraLDAPPasswordPolicy10ResponseControl.get(result);
      return policy == null ? null : policy.getErrorType();
    } catch (LDAPException malformedControl) {
      return null;
    }
  }

  private static RejectReason reasonOf(DraftBeheraLDAPPasswordPolicy10ErrorType type) {
    return switch (type) {
      case ACCOUNT_LOCKED -> RejectReason.ACCOUNT_LOCKED;
      case PASSWORD_EXPIRED -> RejectReason.PASSWORD_EXPIRED;
      case CHANGE_AFTER_RESET -> RejectReason.PASSWORD_MUST_CHANGE;
      default -> RejectReason.WRONG_PASSWORD;
    };
  }
}
