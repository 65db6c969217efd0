/** The credential cache: keyed verifiers of successful binds, in process (L1) and in Redis (L2). */
package io.authgate.core.cache;
