package io.tradingdr.procs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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

  private final Path binDir;
  private final UnprivilegedUser user;
  private final RunDirectory runDirectory;

  private PostgresTools(Path binDir, UnprivilegedUser user, RunDirectory runDirectory) {
    this.binDir = binDir;
    this.user = user;
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
    return new PostgresTools(
        binDir,
        UnprivilegedUser.forServer("PostgreSQL", unprivilegedUser, "--system --create-home"),
        runDirectory);
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
    return user.name();
  }

  /** The full command line that runs {@code tool} (a binary in the bin dir) with {@code args}. */
  public List<String> command(String tool, List<String> args) {
    return user.command(binDir.resolve(tool), args);
  }

  /**
   * Runs a PostgreSQL tool to completion as the right user, e.g. {@code run("pg_basebackup",
   * List.of("-D", dir, "-R", ...), Duration.ofSeconds(60))}. Output goes to {@code
   * logs/<tool>-<n>.log} in the run directory; a non-zero exit throws {@link
   * ProcessFailedException} with the log's tail.
   */
  public void run(String tool, List<String> args, Duration timeout) {
    UnprivilegedUser.runTool(tool, command(tool, args), runDirectory, timeout);
  }

  /**
   * Creates {@code dir} (and missing parents) and hands it to the PostgreSQL user, mode 0700. Every
   * existing ancestor must be searchable by that user.
   */
  public void prepareOwnedDirectory(Path dir) {
    user.prepareOwnedDirectory(dir);
  }
}
