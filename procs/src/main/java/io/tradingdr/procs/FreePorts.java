package io.tradingdr.procs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Picks free TCP ports by binding port 0, so that parallel runs never collide on a fixed port. */
public final class FreePorts {

  private FreePorts() {}

  /** A port that was free on {@code host} a moment ago (the usual, tiny race is accepted). */
  public static int pick(String host) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.setReuseAddress(false);
      socket.bind(new InetSocketAddress(InetAddress.getByName(host), 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    }
  }

  /** A free port on 127.0.0.1. */
  public static int pick() {
    return pick("127.0.0.1");
  }
}
