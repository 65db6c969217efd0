/** Connection plumbing shared by the gateway's clients (LDAP, Redis). */
package io.authgate.core.net;
