/** API keys for the admin API: issued once in plaintext, stored hashed, with a role, an expiry and revocation. */
package io.authgate.core.apikeys;
