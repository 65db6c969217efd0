/** The LDAP directory: pooled UnboundID connections on a bounded worker pool, search-then-bind. */
package io.authgate.core.directory.ldap;
