package io.authgate.core.directory;

import io.vertx.core.Future;
import java.util.Optional;

/**
 * Asked once a directory has found the entry a login name belongs to, and before it binds as that
 * entry: the last chance to refuse without a bind. Its point is regulation by account rather than
 * by the name typed, since one account answers to several (a {@code uid} and a {@code mail}, a
 * {@code sAMAccountName} and a UPN). Implementations never fail the future they return.
 */
@FunctionalInterface
public interface BindGate {
  /** A gate that lets every bind through. */
  BindGate OPEN = account -> BindGate.ADMIT;

  /** The answer that lets the bind go ahead. */
  Future<Optional<RejectReason>> ADMIT = Future.succeededFuture(Optional.empty());

  /**
   * @param account the canonical login name of the entry found (its username attribute, else the
   *     name typed)
   * @return empty to bind; otherwise why the login is refused without a bind
   */
  Future<Optional<RejectReason>> admit(String account);
}
