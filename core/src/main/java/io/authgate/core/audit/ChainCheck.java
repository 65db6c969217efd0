package io.authgate.core.audit;

/**
 * The result of verifying the audit chain: intact, or the first broken link. Immutable.
 *
 * @param intact whether every entry's hash matches its contents and links to the one before
 * @param checked how many entries were checked (up to, not including, the broken one)
 * @param brokenId the id of the first entry that does not verify; null when intact
 * @param problem what is wrong with it; null when intact
 */
public record ChainCheck(boolean intact, long checked, Long brokenId, String problem) {
  /** @return an intact chain of {@code checked} entries */
  public static ChainCheck ok(long checked) {
    return new ChainCheck(true, checked, null, null);
  }

  /** @return a chain broken at entry {@code id} */
  public static ChainCheck broken(long checked, long id, String problem) {
    return new ChainCheck(false, checked, id, problem);
  }

  /** @return one line for a person: the count, or where and how the chain is broken */
  public String describe() {
    return intact
        ? "audit log intact: " + checked + " entries verified"
        : "audit log BROKEN at entry " + brokenId + ": " + problem + " (" + checked + " entries before it verified)";
  }
}
