/** The gateway role: the edge verticle that answers applications and reverse proxies. */
package io.authgate.gateway;
