/** Events that cross processes: Redis pub/sub relayed onto each process's event bus. */
package io.authgate.core.events;
