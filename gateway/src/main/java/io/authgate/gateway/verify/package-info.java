/** Verification for reverse proxies: one authorization core, one small strategy per proxy contract. */
package io.authgate.gateway.verify;
