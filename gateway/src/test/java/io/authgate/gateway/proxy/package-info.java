/** authgate behind real nginx and Caddy processes: fixtures, and the end-to-end tests of docs/proxies.md. */
package io.authgate.gateway.proxy;
