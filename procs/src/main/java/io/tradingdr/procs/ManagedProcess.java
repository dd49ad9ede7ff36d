package io.tradingdr.procs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A child process started by this JVM, its output appended to a log file. It is stopped by its own
 * PID (and the PIDs of its own descendants), also when the JVM shuts down.
 */
public final class ManagedProcess implements AutoCloseable, ProcessReaper.Stoppable {

  private final String name;
  private final Process process;
  private final Path logFile;

  private ManagedProcess(String name, Process process, Path logFile) {
    this.name = name;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * Starts {@code command} with {@code extraEnv} added to this JVM's environment, stdout and stderr
   * appended to {@code logFile}.
   */
  public static ManagedProcess start(
      String name, List<String> command, Map<String, String> extraEnv, Path workDir, Path logFile) {
    Objects.requireNonNull(name, "name");
    ProcessBuilder builder =
        new ProcessBuilder(command)
            .directory(workDir.toFile())
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()))
            .redirectInput(ProcessBuilder.Redirect.from(nullDevice()));
    builder.environment().putAll(extraEnv);
    try {
      Files.createDirectories(logFile.getParent());
      ManagedProcess started = new ManagedProcess(name, builder.start(), logFile);
      ProcessReaper.register(started);
      return started;
    } catch (IOException e) {
      throw new ProcessFailedException("cannot start " + name + " (" + command + ")", e);
    }
  }

  /**
   * Runs {@code command} to completion (a tool such as initdb or pg_basebackup), output appended to
   * {@code logFile}. Throws with the log's tail when it exits non-zero or outlives {@code timeout}.
   */
  public static void runToCompletion(
      String name,
      List<String> command,
      Map<String, String> extraEnv,
      Path workDir,
      Path logFile,
      Duration timeout) {
    ManagedProcess tool = start(name, command, extraEnv, workDir, logFile);
    try {
      if (!tool.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        tool.stop(Duration.ofSeconds(2));
        throw new ProcessFailedException(
            name + " did not finish within " + timeout + "; log " + logFile + ":\n" + tool.tail());
      }
      if (tool.process.exitValue() != 0) {
        throw new ProcessFailedException(
            name
                + " exited with "
                + tool.process.exitValue()
                + "; log "
                + logFile
                + ":\n"
                + tool.tail());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      tool.stop(Duration.ofSeconds(2));
      throw new ProcessFailedException("interrupted while waiting for " + name, e);
    } finally {
      ProcessReaper.unregister(tool);
    }
  }

  public String name() {
    return name;
  }

  /** The PID of the process this JVM started. */
  public long pid() {
    return process.pid();
  }

  public ProcessHandle handle() {
    return process.toHandle();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  /** The exit code, once the process has exited. */
  public int exitValue() {
    return process.exitValue();
  }

  /** The last lines of the log file, for error messages. */
  public String tail() {
    return tail(logFile, 20);
  }

  /** The failure of a server that exited while its owner waited for it to get ready. */
  ProcessFailedException exitedDuringStartup() {
    return new ProcessFailedException(
        name + " exited during startup with " + exitValue() + "; log " + logFile + ":\n" + tail());
  }

  /** The failure of a server that did not get ready in time, e.g. "accept connections". */
  ProcessFailedException notReadyWithin(String what, Duration timeout) {
    return new ProcessFailedException(
        name + " did not " + what + " within " + timeout + "; log " + logFile + ":\n" + tail());
  }

  /** Sleeps between readiness probes; interruption ends the wait with a failure. */
  static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ProcessFailedException("interrupted", e);
    }
  }

  static String tail(Path file, int lines) {
    try {
      List<String> all = Files.readAllLines(file, StandardCharsets.UTF_8);
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException | UncheckedIOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  /** Waits for the process to exit on its own; returns false on timeout. */
  public boolean waitForExit(Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException e) {
      return false;
    } catch (ExecutionException e) {
      throw new ProcessFailedException("waiting for " + name + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * SIGTERM, then SIGKILL to it and its descendants after {@code grace}. Idempotent; never touches
   * a process this JVM did not start.
   */
  public void stop(Duration grace) {
    List<ProcessHandle> descendants = process.descendants().toList();
    if (process.isAlive()) {
      process.destroy();
      if (!waitForExit(grace)) {
        process.destroyForcibly();
        waitForExit(Duration.ofSeconds(5));
      }
    }
    for (ProcessHandle child : descendants) {
      if (child.isAlive()) {
        child.destroyForcibly();
      }
    }
    ProcessReaper.unregister(this);
  }

  /** SIGKILL, no grace: a crash. Its descendants are killed as well. */
  public void kill9() {
    List<ProcessHandle> descendants = process.descendants().toList();
    process.destroyForcibly();
    waitForExit(Duration.ofSeconds(5));
    descendants.forEach(ProcessHandle::destroyForcibly);
    ProcessReaper.unregister(this);
  }

  /** For supervisors that stop this process their own way on shutdown (e.g. PostgreSQL). */
  void detachFromReaper() {
    ProcessReaper.unregister(this);
  }

  @Override
  public void stopOnShutdown() {
    stop(Duration.ofSeconds(2));
  }

  @Override
  public void close() {
    stop(Duration.ofSeconds(5));
  }

  private static java.io.File nullDevice() {
    return new java.io.File("/dev/null");
  }

  @Override
  public String toString() {
    return name + "[pid " + process.pid() + "]";
  }
}
