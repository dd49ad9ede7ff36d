package io.tradingdr.procs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One MariaDB server on loopback, started from Debian's {@code mariadb-server-core} binaries as a
 * child process: the tests' stand-in for Aurora MySQL (the MySQL wire protocol, InnoDB, {@code
 * read_only} and error 1290 behave alike; see the README for what differs).
 *
 * <p>{@link #initdb()} runs {@code mariadb-install-db} into the data directory (root without a
 * password, no test database, no anonymous users reachable over TCP because name resolution is
 * off). {@code mariadbd} listens on 127.0.0.1 and a free port; its unix socket and PID file stay
 * inside the data directory. mariadbd refuses to run as root, so when this JVM is root every binary
 * runs as the unprivileged {@code osUser} (default {@code mysql}) through {@code runuser}, as for
 * PostgreSQL. The server is stopped by the PID of the process it started (SIGTERM is its clean
 * shutdown), also on JVM shutdown through the {@link ManagedProcess} it runs in.
 */
public final class MariaDbNode extends LoopbackServer {

  /** Where Debian's mariadb-server-core puts the server. */
  public static final Path DEFAULT_SERVER = Path.of("/usr/sbin/mariadbd");

  /** Where Debian's mariadb-server-core puts mariadb-install-db. */
  public static final Path DEFAULT_INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");

  /** Where Debian's mariadb-client-core puts the command-line client. */
  public static final Path DEFAULT_CLIENT = Path.of("/usr/bin/mariadb");

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  private final String name;
  private final Path dataDir;
  private final RunDirectory runDirectory;
  private final UnprivilegedUser user;
  private final Map<String, String> settings;
  private final Duration startTimeout;

  private ManagedProcess server;

  private MariaDbNode(Builder b, UnprivilegedUser user) {
    super(b.host, b.portOrFree());
    this.name = b.name;
    this.dataDir = b.dataDir.toAbsolutePath().normalize();
    this.runDirectory =
        b.runDirectory != null ? b.runDirectory : RunDirectory.at(this.dataDir.getParent());
    this.user = user;
    this.settings = Map.copyOf(b.settings);
    this.startTimeout = b.startTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates the system tables in an empty data directory ({@code mariadb-install-db}). Root gets no
   * password: acceptable only because the node listens on loopback for tests and tools.
   */
  public MariaDbNode initdb() {
    user.prepareOwnedDirectory(dataDir);
    runTool(
        "mariadb-install-db",
        user.command(
            DEFAULT_INSTALL_DB,
            List.of(
                "--no-defaults",
                "--datadir=" + dataDir,
                "--auth-root-authentication-method=normal",
                "--skip-test-db",
                "--skip-name-resolve")),
        Duration.ofSeconds(120));
    return this;
  }

  /** Starts mariadbd and waits until it answers a query over TCP. */
  public synchronized MariaDbNode start() {
    if (isRunning()) {
      throw new IllegalStateException(this + " is already running");
    }
    if (!Files.isDirectory(dataDir.resolve("mysql"))) {
      throw new IllegalStateException(
          "data directory " + dataDir + " holds no system tables: call initdb() first");
    }
    List<String> args = new ArrayList<>();
    args.add("--no-defaults");
    args.add("--datadir=" + dataDir);
    args.add("--bind-address=" + host);
    args.add("--port=" + port);
    // Inside the data directory: the only place the unprivileged user may create files.
    args.add("--socket=" + dataDir.resolve("mysqld.sock"));
    args.add("--pid-file=" + dataDir.resolve("mysqld.pid"));
    args.add("--skip-name-resolve");
    settings.forEach((k, v) -> args.add("--" + k + "=" + v));
    server =
        ManagedProcess.start(
            name,
            user.command(DEFAULT_SERVER, args),
            Map.of(),
            runDirectory.root(),
            runDirectory.logFile(name));
    try {
      awaitReady();
    } catch (RuntimeException e) {
      server.stop(Duration.ofSeconds(2));
      throw e;
    }
    return this;
  }

  private void awaitReady() {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw server.exitedDuringStartup();
      }
      if (acceptsTcp() && answers()) {
        return;
      }
      ManagedProcess.pause(Duration.ofMillis(50));
    }
    throw server.notReadyWithin("accept connections", startTimeout);
  }

  private boolean answers() {
    try {
      execute("select 1");
      return true;
    } catch (ProcessFailedException e) {
      return false;
    }
  }

  private boolean acceptsTcp() {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Runs SQL as root with the {@code mariadb} client over TCP, e.g. {@code SET GLOBAL read_only =
   * ON}. Throws {@link ProcessFailedException} with the client's output when it fails.
   */
  public void execute(String sql) {
    runTool(
        "mariadb",
        List.of(
            DEFAULT_CLIENT.toString(),
            "--no-defaults",
            "--protocol=TCP",
            "-h",
            host,
            "-P",
            Integer.toString(port),
            "-u",
            "root",
            "-e",
            sql),
        Duration.ofSeconds(30));
  }

  /** A new, empty database (utf8mb4). */
  public void createDatabase(String database) {
    execute(
        "CREATE DATABASE " + identifier(database) + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
  }

  /**
   * A user without a password that may use every database from 127.0.0.1 but holds neither SUPER
   * nor READ ONLY ADMIN: like an application user, the server's {@code read_only} refuses its
   * writes.
   */
  public void createApplicationUser(String user) {
    String account = "'" + identifier(user) + "'@'" + host + "'";
    execute(
        "CREATE USER IF NOT EXISTS "
            + account
            + "; GRANT SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, DROP, INDEX, REFERENCES,"
            + " LOCK TABLES, CREATE VIEW, SHOW VIEW ON *.* TO "
            + account);
  }

  /** SIGTERM (mariadbd's clean shutdown) to the process it started, SIGKILL after 30 s. */
  @Override
  public synchronized void stop() {
    if (server != null) {
      server.stop(Duration.ofSeconds(30));
      server = null;
    }
  }

  @Override
  ProcessHandle serving() {
    return server == null ? null : server.handle();
  }

  public Path dataDir() {
    return dataDir;
  }

  public Path logFile() {
    return runDirectory.logFile(name);
  }

  /** {@code jdbc:mysql://host:port/database}, for MySQL Connector/J. */
  public String jdbcUrl(String database) {
    return "jdbc:mysql://" + host + ":" + port + "/" + identifier(database);
  }

  @Override
  public String toString() {
    return "mariadb " + name + " on " + host + ":" + port;
  }

  private void runTool(String tool, List<String> command, Duration timeout) {
    UnprivilegedUser.runTool(name + "-" + tool, command, runDirectory, timeout);
  }

  private static String identifier(String value) {
    if (value == null || !IDENTIFIER.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "name '" + value + "' is invalid: use 1-63 lower-case letters, digits and '_'");
    }
    return value;
  }

  /**
   * Settings of one node; {@link #dataDir} is required. Defaults: host 127.0.0.1, a free port, logs
   * in the data directory's parent, OS user {@code mysql} when root, start timeout 60 s.
   */
  public static final class Builder extends DatabaseServerBuilder<Builder> {
    private String name = "mariadb";

    private Builder() {
      super("mysql");
    }

    @Override
    Builder self() {
      return this;
    }

    /** The process and log name; default mariadb. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /**
     * @throws IllegalStateException when the binaries are missing, or when running as root and the
     *     unprivileged user does not exist
     */
    public MariaDbNode build() {
      requireDataDir();
      for (Path binary : List.of(DEFAULT_SERVER, DEFAULT_INSTALL_DB, DEFAULT_CLIENT)) {
        if (!Files.isExecutable(binary)) {
          throw new IllegalStateException(
              "no "
                  + binary
                  + ": install mariadb-server-core and mariadb-client-core (scripts/install-deps)");
        }
      }
      return new MariaDbNode(
          this, UnprivilegedUser.forServer("MariaDB", osUser, "--system --no-create-home"));
    }
  }
}
