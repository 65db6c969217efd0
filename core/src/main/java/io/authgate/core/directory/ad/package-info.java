/** Active Directory's quirks: bind diagnostics, userAccountControl, accountExpires. */
package io.authgate.core.directory.ad;
