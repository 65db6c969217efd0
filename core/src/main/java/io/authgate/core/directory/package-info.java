/** Directories: authenticating a user against LDAP or Active Directory, behind a circuit breaker. */
package io.authgate.core.directory;
