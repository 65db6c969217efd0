package io.authgate.core.regulation;

import io.vertx.core.Future;
import java.util.Arrays;

/**
 * Brute-force regulation. A user (scope {@code user}) and a user from one address (scope
 * {@code user_ip}) are banned after {@code maxFailures} distinct refused passwords within the window.
 * A wrong password already refused within the window is refused again without reaching the
 * directory, so a client retrying a stale password neither locks the account out nor counts
 * twice. A password refused for the account's state (locked, disabled, expired) counts once too,
 * but goes to the directory again when replayed: the state may have ended. Thread-safe.
 */
public interface Regulator {

  /**
   * The fast check done on every request, cache hits included, from this process's view of bans
   * (kept current across processes by broadcast).
   *
   * @param userKey the user's key
   * @param address the client address
   * @return whether the client is banned
   */
  boolean isBanned(String userKey, String address);

  /**
   * The authoritative check done before the directory is asked.
   *
   * @param verifier the verifier of the credentials presented
   */
  Future<Verdict> check(String userKey, String address, byte[] verifier);

  /** Records a wrong password; may ban the user or the user from this address. */
  Future<Void> recordFailure(String userKey, String address, byte[] verifier);

  /**
   * Records a password refused for the account's state ({@link
   * io.authgate.core.directory.RejectReason#accountState()}): it counts among the distinct failures
   * as {@link #recordFailure} does, once however often it is replayed, but {@link #check} never
   * answers {@link Verdict#REPEATED_FAILURE} for it. The password may be right, and once a lock runs
   * out or an administrator lifts it, the user must get in at once, not a window later.
   */
  default Future<Void> recordRefusal(String userKey, String address, byte[] verifier) {
    // Filed under a mark one byte longer than any verifier, which no password presented can match.
    return recordFailure(userKey, address, Arrays.copyOf(verifier, verifier.length + 1));
  }

  /**
   * Records a successful bind: the user's failure counters start over. Only needed when the check
   * said {@link Verdict#ALLOW_AFTER_FAILURES}.
   */
  Future<Void> recordSuccess(String userKey, String address);

  /** @return a regulator that allows everything, for deployments that turn regulation off */
  static Regulator disabled() {
    return new Regulator() {
      @Override
      public boolean isBanned(String userKey, String address) {
        return false;
      }

      @Override
      public Future<Verdict> check(String userKey, String address, byte[] verifier) {
        return Future.succeededFuture(Verdict.ALLOW);
      }

      @Override
      public Future<Void> recordFailure(String userKey, String address, byte[] verifier) {
        return Future.succeededFuture();
      }

      @Override
      public Future<Void> recordSuccess(String userKey, String address) {
        return Future.succeededFuture();
      }
    };
  }

  /** @return the key of the {@code user_ip} scope */
  static String userAddressKey(String userKey, String address) {
    return userKey + "@" + address;
  }
}
