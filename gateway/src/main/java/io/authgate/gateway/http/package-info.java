/** HTTP plumbing shared by the gateway's endpoints: headers, request ids, client addresses, errors. */
package io.authgate.gateway.http;
