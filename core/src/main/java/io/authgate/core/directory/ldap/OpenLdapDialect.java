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
 * OpenLDAP and other RFC 4519 directories: the ppolicy overlay's {@code pwdAccountLockedTime}
 * marks a locked account, and a password-policy response control on a refused bind says why. A
 * bind ppolicy accepts with the error {@code changeAfterReset} (the password was set by an
 * administrator and {@code pwdMustChange} is on) opens a connection restricted to changing the
 * password: the login is refused, as Active Directory refuses it ({@code data 773}). A bind
 * accepted with a warning only (grace logins left after the password expired, or its expiry near)
 * is a login: the directory allows it.
 */
public final class OpenLdapDialect implements DirectoryDialect {
  /** The one instance; stateless. */
  public static final OpenLdapDialect INSTANCE = new OpenLdapDialect();
  static final String PWD_ACCOUNT_LOCKED_TIME = "pwdAccountLockedTime";

  private OpenLdapDialect() {}

  @Override
  public List<Control> bindControls() {
    return List.of(new DraftBeheraLDAPPasswordPolicy10RequestControl());
  }

  @Override
  public List<String> accountStateAttributes() {
    return List.of(PWD_ACCOUNT_LOCKED_TIME);
  }

  @Override
  public Optional<RejectReason> accountState(Entry entry, long nowMillis) {
    return entry.hasAttribute(PWD_ACCOUNT_LOCKED_TIME) ? Optional.of(RejectReason.ACCOUNT_LOCKED) : Optional.empty();
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
