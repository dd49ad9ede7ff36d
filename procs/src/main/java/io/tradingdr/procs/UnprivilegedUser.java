package io.tradingdr.procs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The operating-system user a database server's binaries run as. PostgreSQL and MariaDB refuse to
 * run as root: when this JVM is root, every binary runs as an unprivileged user through {@code
 * runuser -u <user> --} and the directories handed to the server are chowned to that user;
 * otherwise the binaries run as the current user ({@link #name()} empty).
 */
final class UnprivilegedUser {

  private static final AtomicLong TOOL_RUNS = new AtomicLong();

  private final Optional<String> name;
  private final String server;

  private UnprivilegedUser(Optional<String> name, String server) {
    this.name = name;
    this.server = server;
  }

  /**
   * {@code osUser} when this JVM is root, else the current user.
   *
   * @param server the server's name in messages, e.g. "PostgreSQL"
   * @param useraddOptions how to create the user, e.g. "--system --create-home"
   * @throws IllegalStateException when running as root and {@code osUser} does not exist
   */
  static UnprivilegedUser forServer(String server, String osUser, String useraddOptions) {
    if (!OsUsers.currentUserIsRoot()) {
      return new UnprivilegedUser(Optional.empty(), server);
    }
    if (!OsUsers.exists(osUser)) {
      throw new IllegalStateException(
          server
              + " refuses to run as root and the OS user '"
              + osUser
              + "' does not exist: create it (useradd "
              + useraddOptions
              + " "
              + osUser
              + ") or run as a non-root user");
    }
    return new UnprivilegedUser(Optional.of(osUser), server);
  }

  /** The user the binaries run as, when it differs from the current user. */
  Optional<String> name() {
    return name;
  }

  /** The full command line that runs {@code binary} with {@code args} as this user. */
  List<String> command(Path binary, List<String> args) {
    List<String> command = new ArrayList<>();
    name.ifPresent(user -> command.addAll(List.of("runuser", "-u", user, "--")));
    command.add(binary.toString());
    command.addAll(args);
    return command;
  }

  /**
   * Runs {@code command} to completion with its output in {@code logs/<logPrefix>-<n>.log} of the
   * run directory; a non-zero exit throws {@link ProcessFailedException} with the log's tail.
   */
  static void runTool(
      String logPrefix, List<String> command, RunDirectory runDirectory, Duration timeout) {
    String logName = logPrefix + "-" + TOOL_RUNS.incrementAndGet();
    ManagedProcess.runToCompletion(
        logName, command, Map.of(), runDirectory.root(), runDirectory.logFile(logName), timeout);
  }

  /**
   * Creates {@code dir} (and missing parents) and hands it to this user, mode 0700. Every existing
   * ancestor must be searchable by that user.
   */
  void prepareOwnedDirectory(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
      if (name.isPresent()) {
        Files.setOwner(
            absolute,
            absolute
                .getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(name.get()));
        checkAncestorsSearchable(absolute);
      }
      Files.setPosixFilePermissions(
          absolute,
          EnumSet.of(
              PosixFilePermission.OWNER_READ,
              PosixFilePermission.OWNER_WRITE,
              PosixFilePermission.OWNER_EXECUTE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare directory " + absolute, e);
    }
  }

  private void checkAncestorsSearchable(Path dir) throws IOException {
    for (Path p = dir.getParent(); p != null; p = p.getParent()) {
      var perms = Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS);
      if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)
          && !Files.getOwner(p).getName().equals(name.orElseThrow())) {
        throw new IllegalStateException(
            "directory "
                + p
                + " is not searchable by the "
                + server
                + " user '"
                + name.get()
                + "': chmod o+x it or use a run directory elsewhere (e.g. under /tmp)");
      }
    }
  }
}
