/** Authentication: {@code POST /v1/auth}, the cached, regulated, breaker-guarded path to the directory. */
package io.authgate.gateway.auth;
