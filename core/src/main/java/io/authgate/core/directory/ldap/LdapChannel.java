package io.authgate.core.directory.ldap;

import com.unboundid.asn1.ASN1Buffer;
import com.unboundid.ldap.protocol.AbandonRequestProtocolOp;
import com.unboundid.ldap.protocol.BindResponseProtocolOp;
import com.unboundid.ldap.protocol.ExtendedRequestProtocolOp;
import com.unboundid.ldap.protocol.ExtendedResponseProtocolOp;
import com.unboundid.ldap.protocol.GenericResponseProtocolOp;
import com.unboundid.ldap.protocol.LDAPMessage;
import com.unboundid.ldap.protocol.ProtocolOp;
import com.unboundid.ldap.protocol.SearchResultEntryProtocolOp;
import com.unboundid.ldap.protocol.UnbindRequestProtocolOp;
import com.unboundid.ldap.sdk.Control;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPResult;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchResultEntry;
import io.authgate.core.net.CoalescedFlushes;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.ClientSSLOptions;
import io.vertx.core.net.NetSocket;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One LDAP connection, non-blocking, on the event loop that opened it. Requests are multiplexed by
 * message id; each has a response timeout, after which it fails with {@link ResultCode#TIMEOUT} and
 * is abandoned. When the connection closes, everything pending fails with
 * {@link ResultCode#SERVER_DOWN}. Confined to its event loop: call it only from there.
 *
 * <p>Every request has the same timeout, so deadlines fall in the order requests are sent: one
 * timer per connection, set for the oldest pending request, fails what is due and is set again for
 * the next. An answer only removes its request; no timer is set or cancelled per request.
 */
final class LdapChannel {
  /** The StartTLS extended operation (RFC 4511 §4.14). */
  static final String START_TLS_OID = "1.3.6.1.4.1.1466.20037";
  /** The notice of disconnection a server sends before closing (RFC 4511 §4.4.1). */
  static final String NOTICE_OF_DISCONNECTION_OID = "1.3.6.1.4.1.1466.20036";

  private final Vertx vertx;
  private final NetSocket socket;
  private final long timeoutMillis;
  private final LdapWire.Decoder decoder = new LdapWire.Decoder();
  private final ASN1Buffer scratch = new ASN1Buffer();
  /** In the order sent, which is the order of their deadlines. */
  private final Map<Integer, Pending> pending = new LinkedHashMap<>();
  /** The timer set for the oldest pending request's deadline, or -1. */
  private long sweepTimer = -1;
  /** Set while {@link #sweep()} fails requests: a request sent from their callbacks sets no timer. */
  private boolean sweeping;
  private int nextMessageId = 1;
  private boolean closed;
  private final long openedAt = System.currentTimeMillis();

  /** A request awaiting its result. */
  private static final class Pending {
    final Promise<LdapReply> promise = Promise.promise();
    final List<SearchResultEntry> entries = new ArrayList<>(1);
    final long deadlineNanos;

    Pending(long deadlineNanos) {
      this.deadlineNanos = deadlineNanos;
    }
  }

  LdapChannel(Vertx vertx, NetSocket socket, long timeoutMillis) {
    this.vertx = vertx;
    this.socket = socket;
    this.timeoutMillis = timeoutMillis;
    socket.handler(this::receive);
    socket.closeHandler(v -> failAll(new LDAPException(ResultCode.SERVER_DOWN, "the server closed the connection")));
    socket.exceptionHandler(e -> close());
  }

  /**
   * @param op the request
   * @param controls request controls
   * @return the complete reply; failed with an {@link LDAPException} when the connection fails or
   *     the server does not answer in time
   */
  Future<LdapReply> send(ProtocolOp op, List<Control> controls) {
    if (closed) {
      return Future.failedFuture(new LDAPException(ResultCode.SERVER_DOWN, "the connection is closed"));
    }
    int id = nextMessageId++;
    Pending request = new Pending(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis));
    pending.put(id, request);
    if (sweepTimer < 0 && !sweeping) {
      sweepTimer = vertx.setTimer(timeoutMillis, t -> sweep());
    }
    socket.write(LdapWire.encode(scratch, id, op, controls));
    return request.promise.future();
  }

  /** Upgrades the connection to TLS with StartTLS. */
  Future<Void> startTls(ClientSSLOptions tls, String host) {
    return send(new ExtendedRequestProtocolOp(START_TLS_OID, null), List.of()).compose(reply -> {
      if (reply.code() != ResultCode.SUCCESS) {
        return Future.failedFuture(new LDAPException(reply.result()));
      }
      return socket.upgradeToSsl(tls, host);
    });
  }

  /**
   * Sends the requests of one event-loop turn together (see {@link CoalescedFlushes}): for a
   * connection many logins share, the search connection.
   */
  void coalesceFlushes() {
    CoalescedFlushes.install(socket);
  }

  /** @return whether the connection can take requests */
  boolean isOpen() {
    return !closed;
  }

  /** @return when it was opened, epoch millis */
  long openedAt() {
    return openedAt;
  }

  /** Says goodbye and closes; pending requests fail. Idempotent. */
  void close() {
    if (closed) {
      return;
    }
    socket.write(LdapWire.encode(scratch, nextMessageId++, new UnbindRequestProtocolOp(), List.of()));
    socket.close();
    failAll(new LDAPException(ResultCode.SERVER_DOWN, "the connection was closed"));
  }

  private void receive(Buffer data) {
    List<LDAPMessage> messages;
    try {
      messages = decoder.feed(data);
    } catch (LDAPException e) {
      failAll(e);
      socket.close();
      return;
    }
    for (LDAPMessage message : messages) {
      dispatch(message);
    }
  }

  private void dispatch(LDAPMessage message) {
    if (message.getMessageID() == 0) {
      // Unsolicited: a notice of disconnection, or something this client does not use.
      failAll(new LDAPException(ResultCode.SERVER_DOWN, "the server announced it is closing the connection"));
      socket.close();
      return;
    }
    Pending request = pending.get(message.getMessageID());
    if (request == null) {
      return;
    }
    ProtocolOp op = message.getProtocolOp();
    Control[] controls = message.getControls().toArray(Control[]::new);
    if (op instanceof SearchResultEntryProtocolOp entry) {
      request.entries.add(entry.toSearchResultEntry(controls));
      return;
    }
    LDAPResult result;
    if (op instanceof BindResponseProtocolOp bind) {
      result = bind.toBindResult(controls);
    } else if (op instanceof ExtendedResponseProtocolOp extended) {
      result = extended.toExtendedResult(controls);
    } else if (op instanceof GenericResponseProtocolOp done) {
      result = done.toLDAPResult(controls);
    } else {
      // Search result references are dropped: referrals are never followed.
      return;
    }
    pending.remove(message.getMessageID());
    request.promise.complete(new LdapReply(List.copyOf(request.entries), result));
  }

  /** Fails and abandons the requests that are due, oldest first, then waits for the next deadline. */
  private void sweep() {
    sweepTimer = -1;
    long now = System.nanoTime();
    List<Map.Entry<Integer, Pending>> due = new ArrayList<>();
    Iterator<Map.Entry<Integer, Pending>> oldest = pending.entrySet().iterator();
    while (oldest.hasNext()) {
      Map.Entry<Integer, Pending> next = oldest.next();
      if (next.getValue().deadlineNanos > now) {
        break;  // the rest were sent later, so are due later
      }
      oldest.remove();
      due.add(next);
    }
    // Failing a request runs its callbacks, which may send on this connection or close it.
    sweeping = true;
    try {
      for (Map.Entry<Integer, Pending> request : due) {
        if (!closed) {
          socket.write(LdapWire.encode(scratch, nextMessageId++, new AbandonRequestProtocolOp(request.getKey()),
              List.of()));
        }
        request.getValue().promise.tryFail(
            new LDAPException(ResultCode.TIMEOUT, "no answer within " + timeoutMillis + " ms"));
      }
    } finally {
      sweeping = false;
    }
    if (!closed && !pending.isEmpty()) {
      long left = pending.values().iterator().next().deadlineNanos - System.nanoTime();
      // Vert.x timers take whole milliseconds, at least one: round up, never fire early
      sweepTimer = vertx.setTimer(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left + 999_999)), t -> sweep());
    }
  }

  private void failAll(LDAPException cause) {
    closed = true;
    if (sweepTimer >= 0) {
      vertx.cancelTimer(sweepTimer);
      sweepTimer = -1;
    }
    List<Pending> failing = new ArrayList<>(pending.values());
    pending.clear();
    for (Pending request : failing) {
      request.promise.tryFail(cause);
    }
  }
}
