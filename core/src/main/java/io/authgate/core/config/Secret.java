package io.authgate.core.config;

import java.util.Objects;

/**
 * A secret configuration value (a bind password, a key). Its {@link #toString()} never reveals the
 * value, so a secret that ends up in a log line or an exception message stays hidden.
 * Immutable and thread-safe.
 */
public final class Secret {
  private final String value;

  private Secret(String value) {
    this.value = Objects.requireNonNull(value, "value");
  }

  /** @param value the secret; never null */
  public static Secret of(String value) {
    return new Secret(value);
  }

  /** @return the secret value; pass it only to the component that needs it, never to a logger */
  public String reveal() {
    return value;
  }

  /** @return whether the value is empty */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return "******";
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Secret s && s.value.equals(value);
  }

  @Override
  public int hashCode() {
    return value.hashCode();
  }
}
