/** Sessions at the edge: the cookie that carries them, opening one at sign-in, ending one at logout. */
package io.authgate.gateway.session;
