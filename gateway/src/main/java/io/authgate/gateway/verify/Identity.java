package io.authgate.gateway.verify;

import io.authgate.core.identity.Principal;
import java.util.List;

/**
 * Who a verify request is: the user, their roles, and the credential that said so. Immutable.
 *
 * @param principal the user
 * @param roles the roles granted
 * @param credential {@code session}, {@code bearer} or {@code basic}, the metric label
 */
record Identity(Principal principal, List<String> roles, String credential) {}
