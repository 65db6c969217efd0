package io.authgate.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes of one event-loop turn leave in one flush, over a real loopback connection. */
class CoalescedFlushesTest {
  private static final int MESSAGES = 100;
  private Vertx vertx;
  private NetServer server;
  private final List<Buffer> received = new CopyOnWriteArrayList<>();
  private final Promise<Void> allReceived = Promise.promise();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = vertx.createNetServer().connectHandler(socket -> socket.handler(chunk -> {
      received.add(chunk);
      if (received.stream().mapToInt(Buffer::length).sum() == MESSAGES * message(0).length()) {
        allReceived.tryComplete();
      }
    })).listen(0, "127.0.0.1").await();
  }

  @AfterEach
  void stop() {
    vertx.close().await();
  }

  private static Buffer message(int i) {
    return Buffer.buffer(String.format("message %03d;", i));
  }

  /** Connects, then writes every message within one task on the socket's event loop. */
  private NetSocket writeAllInOneTurn(boolean coalesce) throws Exception {
    Promise<NetSocket> written = Promise.promise();
    vertx.getOrCreateContext().runOnContext(v -> vertx.createNetClient().connect(server.actualPort(), "127.0.0.1")
        .onSuccess(socket -> {
          if (coalesce) {
            assertThat(CoalescedFlushes.install(socket)).isTrue();
          }
          // A turn of its own, as when many logins in flight each write one request.
          vertx.getOrCreateContext().runOnContext(w -> {
            for (int i = 0; i < MESSAGES; i++) {
              socket.write(message(i));
            }
            written.complete(socket);
          });
        }).onFailure(written::fail));
    NetSocket socket = written.future().await(10, TimeUnit.SECONDS);
    allReceived.future().await(10, TimeUnit.SECONDS);
    return socket;
  }

  @Test
  void theWritesOfOneTurnArriveTogetherAndInOrder() throws Exception {
    NetSocket socket = writeAllInOneTurn(true);
    assertThat(CoalescedFlushes.installed(socket)).isTrue();
    // One write of 1,300 bytes: the server reads it in one go (two at most, should a read split it).
    assertThat(received).hasSizeLessThanOrEqualTo(2);
    Buffer all = Buffer.buffer();
    received.forEach(all::appendBuffer);
    Buffer expected = Buffer.buffer();
    for (int i = 0; i < MESSAGES; i++) {
      expected.appendBuffer(message(i));
    }
    assertThat(all).isEqualTo(expected);
  }

  @Test
  void installingTwiceAddsOneHandler() throws Exception {
    NetSocket socket = writeAllInOneTurn(true);
    assertThat(CoalescedFlushes.install(socket)).isTrue();
    assertThat(((io.vertx.core.internal.net.NetSocketInternal) socket).channelHandlerContext().pipeline().names()
        .stream().filter(CoalescedFlushes.HANDLER::equals)).hasSize(1);
  }

  @Test
  void aSocketWithoutItIsUntouched() throws Exception {
    NetSocket socket = writeAllInOneTurn(false);
    assertThat(CoalescedFlushes.installed(socket)).isFalse();
    Future<Void> closed = socket.close();
    closed.await(5, TimeUnit.SECONDS);
  }
}
