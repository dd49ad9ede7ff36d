package io.tradingdr.procs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The directory a set of supervised processes works in: data directories live under it and every
 * process writes its output to {@code logs/<name>.log}.
 */
public final class RunDirectory {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final Path root;

  private RunDirectory(Path root) {
    this.root = root.toAbsolutePath().normalize();
    try {
      Files.createDirectories(this.root.resolve("logs"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + this.root, e);
    }
  }

  /** Uses (and creates) {@code root}. */
  public static RunDirectory at(Path root) {
    return new RunDirectory(Objects.requireNonNull(root, "root"));
  }

  /**
   * A fresh directory under the system temporary directory, searchable by others (mode 0755) so
   * that PostgreSQL, run as its own user, can reach its data directory inside it.
   */
  public static RunDirectory temporary(String prefix) {
    try {
      return new RunDirectory(
          Files.createTempDirectory(
              prefix,
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x"))));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary run directory", e);
    }
  }

  /**
   * Deletes this directory (data and logs) when the JVM exits, after the processes started by this
   * JVM are stopped. For tests and throw-away runs; drills keep their logs.
   */
  public RunDirectory deleteOnExit() {
    ProcessReaper.deleteAfterStop(root);
    return this;
  }

  public Path root() {
    return root;
  }

  /** The log file of the process called {@code name}. */
  public Path logFile(String name) {
    return root.resolve("logs").resolve(checkName(name) + ".log");
  }

  /** A path (not created) under the run directory, e.g. a data directory. */
  public Path resolve(String name) {
    return root.resolve(checkName(name));
  }

  private static String checkName(String name) {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "process name '" + name + "' is invalid: use 1-64 letters, digits, '.', '_' or '-'");
    }
    return name;
  }

  @Override
  public String toString() {
    return root.toString();
  }
}
