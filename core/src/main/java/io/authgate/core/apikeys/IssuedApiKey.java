package io.authgate.core.apikeys;

/**
 * A key just created: the stored record and the plaintext, shown to its creator once and never
 * again. {@link #toString()} hides the plaintext. Immutable.
 *
 * @param key the stored record
 * @param plaintext the key to hand over, {@code agk_<id>_<secret>}
 */
public record IssuedApiKey(ApiKey key, String plaintext) {
  @Override
  public String toString() {
    return "IssuedApiKey[key=" + key + ", plaintext=******]";
  }
}
