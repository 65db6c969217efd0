/** Redis clients built from configuration. */
package io.authgate.core.redis;
