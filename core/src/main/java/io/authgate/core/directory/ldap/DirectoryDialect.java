package io.authgate.core.directory.ldap;

import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import io.authgate.core.directory.RejectReason;
import java.util.List;
import java.util.Optional;

/**
 * A directory vendor's quirks: which extra attributes say an account is unusable, what a refused
 * bind means, and when a bind the server accepted must still refuse the login. One implementation
 * per vendor, so vendor details stay out of the bind path. Implementations are stateless and
 * thread-safe.
 */
public interface DirectoryDialect {

  /** @return controls sent with a user's bind, asking the server to say why it refuses one */
  List<Control> bindControls();

  /** @return attributes to read from a user entry besides the configured ones */
  List<String> accountStateAttributes();

  /**
   * @param entry the user's entry with {@link #accountStateAttributes()} read
   * @param nowMillis the current time
   * @return why the account may not sign in, before any bind; empty when it may
   */
  Optional<RejectReason> accountState(Entry entry, long nowMillis);

  /**
   * @param refusal a bind that failed with {@code invalidCredentials} or a similar refusal
   * @return the precise reason
   */
  RejectReason bindRefusal(LDAPException refusal);

  /**
   * @param accepted a bind the server answered with success
   * @return why the login is refused all the same, when the server accepted the password only to
   *     let the user change it (OpenLDAP's ppolicy after an administrator's reset); empty for an
   *     ordinary success
   */
  Optional<RejectReason> acceptedBindRefusal(LDAPResult accepted);
}
