package io.tradingdr.procs;

/**
 * A server this package runs as a child process on one host and port (PostgreSQL, MariaDB, DynamoDB
 * Local): what they share about being up, their PID and their address.
 */
abstract class LoopbackServer implements AutoCloseable {

  final String host;
  final int port;

  LoopbackServer(String host, int port) {
    this.host = host;
    this.port = port;
  }

  /** The process that serves now, or null when this JVM has none; called holding the lock. */
  abstract ProcessHandle serving();

  /** Stops the server by its PID. Idempotent. */
  public abstract void stop();

  @Override
  public void close() {
    stop();
  }

  public synchronized boolean isRunning() {
    ProcessHandle process = serving();
    return process != null && process.isAlive();
  }

  /** The serving process's PID. */
  public synchronized long pid() {
    if (!isRunning()) {
      throw new IllegalStateException(this + " is not running");
    }
    return serving().pid();
  }

  public String host() {
    return host;
  }

  public int port() {
    return port;
  }
}
