package io.authgate.core.config;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The admin API's own settings. Immutable.
 *
 * @param bootstrapKey the bootstrap admin API key, {@code agk_<32 hex digits>_<at least 32 base64url
 *     characters>}; empty means the embedded default generates one at the first start and prints it once
 */
public record AdminConfig(Optional<Secret> bootstrapKey) {
  /** The shape of an API key, as {@code io.authgate.core.apikeys.ApiKeyFormat} parses it. */
  private static final Pattern API_KEY = Pattern.compile("agk_[0-9a-f]{32}_[A-Za-z0-9_-]{32,219}");

  static AdminConfig read(ConfigNode n) {
    Optional<Secret> bootstrapKey = n.secret("bootstrapKey");
    bootstrapKey.ifPresent(key -> {
      if (!API_KEY.matcher(key.reveal()).matches()) {
        throw n.problem("bootstrapKey", "must look like agk_<32 lowercase hex digits>_<at least 32 base64url "
            + "characters>, e.g. agk_$(openssl rand -hex 16)_$(openssl rand -base64 32 | tr '+/' '-_' | tr -d '=')");
      }
    });
    AdminConfig config = new AdminConfig(bootstrapKey);
    n.rejectUnknownKeys();
    return config;
  }
}
