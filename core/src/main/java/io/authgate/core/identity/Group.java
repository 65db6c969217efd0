package io.authgate.core.identity;

/**
 * A group a user belongs to. Immutable.
 *
 * @param name the group's short name (its {@code cn}); never null
 * @param dn the group's distinguished name; never null
 */
public record Group(String name, String dn) {}
