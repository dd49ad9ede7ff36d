package io.tradingdr.procs;

import java.time.Duration;
import java.util.Objects;

/**
 * The settings every loopback server of this package shares (listen address, port, run directory,
 * start timeout), for the builders of {@link PostgresNode}, {@link MariaDbNode} and {@link
 * DynamoDbLocalProcess}.
 */
abstract class ServerBuilder<B extends ServerBuilder<B>> {
  String host = "127.0.0.1";
  int port;
  RunDirectory runDirectory;
  Duration startTimeout = Duration.ofSeconds(60);

  ServerBuilder() {}

  abstract B self();

  /** The address the server listens on and clients use; default 127.0.0.1. */
  public B host(String host) {
    this.host = Objects.requireNonNull(host, "host");
    return self();
  }

  /** TCP port; 0 (default) picks a free one once, kept across restarts. */
  public B port(int port) {
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("port must be 0-65535, was " + port);
    }
    this.port = port;
    return self();
  }

  /** Where logs go; the default depends on the server. */
  public B runDirectory(RunDirectory runDirectory) {
    this.runDirectory = runDirectory;
    return self();
  }

  public B startTimeout(Duration startTimeout) {
    this.startTimeout = Objects.requireNonNull(startTimeout, "startTimeout");
    return self();
  }

  /** The port given, or a free one on the host when none was. */
  final int portOrFree() {
    return port == 0 ? FreePorts.pick(host) : port;
  }
}
