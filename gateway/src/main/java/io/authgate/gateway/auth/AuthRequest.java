package io.authgate.gateway.auth;

import io.authgate.core.identity.Credentials;
import java.util.Optional;

/**
 * A normalised authentication request. Immutable.
 *
 * @param credentials the username (trimmed, NFC) and password (as typed)
 * @param realm the directory the client asked for, if any
 * @param basic whether the credentials came in an {@code Authorization: Basic} header
 * @param session whether to open a session on success
 */
public record AuthRequest(Credentials credentials, Optional<String> realm, boolean basic, boolean session) {}
