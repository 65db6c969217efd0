package io.authgate.core.redis;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * A Lua script for Redis and its SHA-1, so calls send {@code EVALSHA} and the short digest instead
 * of the whole body. Immutable.
 *
 * @param body the script
 * @param sha1 its SHA-1 in hex, as Redis names it
 */
public record LuaScript(String body, String sha1) {

  /** @return the script with its digest computed */
  public static LuaScript of(String body) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-1").digest(body.getBytes(StandardCharsets.UTF_8));
      return new LuaScript(body, HexFormat.of().formatHex(digest));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is unavailable", e);
    }
  }
}
