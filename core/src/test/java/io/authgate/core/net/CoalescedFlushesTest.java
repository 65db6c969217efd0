package io.authgate.core.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetServer;
import io.vertx.core.net.NetSocket;
import io.netty.channel.Channel;
import io.vertx.core.internal.net.NetSocketInternal;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Writes of one event-loop turn leave in one flush, over a real loopback connection. */
class CoalescedFlushesTest {
  private static final int MESSAGES = 100;
  private Vertx vertx;
  private NetServer server;
  /**
   * Held for the whole test. Vert.x 5 shuts a client down once the garbage collector finds it
   * unreferenced ({@code CleanableNetClient}): its connections close, and a connection it was still
   * making is closed as it completes. A client made inline and dropped lost its connection whenever
   * a collection came in time (in about one run of the module's tests in seven here, and in CI):
   * the writes failed with "Connection was closed" and the test waited out its 10 s.
   */
  private NetClient client;
  private final List<Buffer> received = new CopyOnWriteArrayList<>();
  private final Promise<Void> allReceived = Promise.promise();
  private final AtomicInteger connections = new AtomicInteger();

  @BeforeEach
  void start() {
    vertx = Vertx.vertx();
    server = vertx.createNetServer().connectHandler(socket -> {
      connections.incrementAndGet();
      socket.handler(chunk -> {
        received.add(chunk);
        if (receivedBytes() == MESSAGES * message(0).length()) {
          allReceived.tryComplete();
        }
      });
    }).listen(0, "127.0.0.1").await();
    client = vertx.createNetClient();
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
    vertx.getOrCreateContext().runOnContext(v -> client.connect(server.actualPort(), "127.0.0.1")
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
    try {
      allReceived.future().await(10, TimeUnit.SECONDS);
    } catch (TimeoutException e) {
      throw new AssertionError(whyNotReceived(socket), e);
    }
    return socket;
  }

  private int receivedBytes() {
    return received.stream().mapToInt(Buffer::length).sum();
  }

  /**
   * What the server and the client's channel show when the writes did not all arrive in time:
   * whether the client's event loop still runs tasks, what its channel still holds, and the
   * Vert.x threads' stacks.
   */
  private String whyNotReceived(NetSocket socket) {
    Channel channel = ((NetSocketInternal) socket).channelHandlerContext().channel();
    String state;
    try {
      state = channel.eventLoop().submit(() -> String.format(
          "client channel active %s, writable %s, bytes not yet written %d, pipeline %s",
          channel.isActive(), channel.isWritable(),
          channel.unsafe().outboundBuffer() == null ? -1 : channel.unsafe().outboundBuffer().totalPendingWriteBytes(),
          channel.pipeline().names())).get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      state = "the client's event loop did not run a task within 5 s (" + e + ")";
    }
    String threads = Arrays.stream(ManagementFactory.getThreadMXBean().dumpAllThreads(false, false))
        .filter(t -> t.getThreadName().startsWith("vert.x-"))
        .map(ThreadInfo::toString).collect(Collectors.joining());
    return String.format("the server saw %d connection(s) and %d of %d bytes in %d chunk(s); %s%n%s",
        connections.get(), receivedBytes(), MESSAGES * message(0).length(), received.size(), state, threads);
  }

  @Test
  void theWritesOfOneTurnArriveTogetherAndInOrder() throws Exception {
    NetSocket socket = writeAllInOneTurn(true);
    assertThat(CoalescedFlushes.installed(socket)).isTrue();
    // One write of 1,200 bytes: the server reads it in one go (two at most, should a read split it).
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
