/** Sessions: opaque tokens stored hashed, idle and absolute timeouts, revocation per user on every process. */
package io.authgate.core.session;
