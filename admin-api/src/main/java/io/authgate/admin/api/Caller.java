package io.authgate.admin.api;

/**
 * Who sent an admin request, as its API key says. Immutable.
 *
 * @param keyId the key's id, for the audit trail
 * @param name the key's name
 * @param role what it may do
 */
public record Caller(String keyId, String name, AdminRole role) {
}
