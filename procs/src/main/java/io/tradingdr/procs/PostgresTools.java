package io.tradingdr.procs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs the PostgreSQL binaries ({@code initdb}, {@code postgres}, {@code pg_ctl}, {@code
 * pg_basebackup}, {@code pg_rewind}, ...) as the right operating-system user.
 *
 * <p>initdb and postgres refuse to run as root. When this JVM runs as root, every binary runs as
 * the unprivileged {@code osUser} (default {@code postgres}) through {@code runuser -u <user> --},
 * and directories handed to PostgreSQL are created and chowned to that user. Otherwise the binaries
 * run as the current user.
 */
public final class PostgresTools {

  /** Where Debian's postgresql-15 package puts the binaries. */
  public static final Path DEFAULT_BIN_DIR = Path.of("/usr/lib/postgresql/15/bin");

  private static final AtomicLong TOOL_RUNS = new AtomicLong();

  private final Path binDir;
  private final Optional<String> runAsUser;
  private final RunDirectory runDirectory;

  private PostgresTools(Path binDir, Optional<String> runAsUser, RunDirectory runDirectory) {
    this.binDir = binDir;
    this.runAsUser = runAsUser;
    this.runDirectory = runDirectory;
  }

  /**
   * Tools from {@code binDir}; as root they run as {@code unprivilegedUser}, which must exist.
   *
   * @throws IllegalStateException when running as root and the user does not exist
   */
  public static PostgresTools create(
      Path binDir, String unprivilegedUser, RunDirectory runDirectory) {
    Objects.requireNonNull(binDir, "binDir");
    Objects.requireNonNull(runDirectory, "runDirectory");
    if (!Files.isExecutable(binDir.resolve("postgres"))) {
      throw new IllegalStateException(
          "no PostgreSQL binaries in "
              + binDir
              + ": install postgresql-15 (apt-get install postgresql-15) or pass the bin directory");
    }
    Optional<String> runAs = Optional.empty();
    if (OsUsers.currentUserIsRoot()) {
      if (!OsUsers.exists(unprivilegedUser)) {
        throw new IllegalStateException(
            "PostgreSQL refuses to run as root and the OS user '"
                + unprivilegedUser
                + "' does not exist: create it (useradd --system --create-home "
                + unprivilegedUser
                + ") or run as a non-root user");
      }
      runAs = Optional.of(unprivilegedUser);
    }
    return new PostgresTools(binDir, runAs, runDirectory);
  }

  /** Default binaries, user {@code postgres} when root. */
  public static PostgresTools create(RunDirectory runDirectory) {
    return create(DEFAULT_BIN_DIR, "postgres", runDirectory);
  }

  public Path binDir() {
    return binDir;
  }

  public RunDirectory runDirectory() {
    return runDirectory;
  }

  /** The user the binaries run as, when it differs from the current user. */
  public Optional<String> runAsUser() {
    return runAsUser;
  }

  /** The full command line that runs {@code tool} (a binary in the bin dir) with {@code args}. */
  public List<String> command(String tool, List<String> args) {
    List<String> command = new ArrayList<>();
    runAsUser.ifPresent(user -> command.addAll(List.of("runuser", "-u", user, "--")));
    command.add(binDir.resolve(tool).toString());
    command.addAll(args);
    return command;
  }

  /**
   * Runs a PostgreSQL tool to completion as the right user, e.g. {@code run("pg_basebackup",
   * List.of("-D", dir, "-R", ...), Duration.ofSeconds(60))}. Output goes to {@code
   * logs/<tool>-<n>.log} in the run directory; a non-zero exit throws {@link
   * ProcessFailedException} with the log's tail.
   */
  public void run(String tool, List<String> args, Duration timeout) {
    String logName = tool + "-" + TOOL_RUNS.incrementAndGet();
    ManagedProcess.runToCompletion(
        logName,
        command(tool, args),
        Map.of(),
        runDirectory.root(),
        runDirectory.logFile(logName),
        timeout);
  }

  /**
   * Creates {@code dir} (and missing parents) and hands it to the PostgreSQL user, mode 0700. Every
   * existing ancestor must be searchable by that user.
   */
  public void prepareOwnedDirectory(Path dir) {
    Path absolute = dir.toAbsolutePath().normalize();
    try {
      Files.createDirectories(absolute);
      if (runAsUser.isPresent()) {
        UserPrincipal owner =
            absolute
                .getFileSystem()
                .getUserPrincipalLookupService()
                .lookupPrincipalByName(runAsUser.get());
        Files.setOwner(absolute, owner);
        checkAncestorsSearchable(absolute);
      }
      Files.setPosixFilePermissions(
          absolute,
          java.util.EnumSet.of(
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
          && !Files.getOwner(p).getName().equals(runAsUser.orElseThrow())) {
        throw new IllegalStateException(
            "directory "
                + p
                + " is not searchable by the PostgreSQL user '"
                + runAsUser.get()
                + "': chmod o+x it or use a run directory elsewhere (e.g. under /tmp)");
      }
    }
  }
}
