package io.tradingdr.procs;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * One PostgreSQL server on loopback, started from the machine's binaries as a child process.
 *
 * <p>Per-node settings ({@code listen_addresses}, {@code port}, {@code cluster_name}, {@code
 * wal_log_hints=on} and the extra settings) are passed on the {@code postgres} command line, never
 * written to postgresql.conf: pg_basebackup and pg_rewind copy the configuration files from the
 * source node, and command-line settings survive that. Unix sockets are off; clients use TCP.
 *
 * <p>The node is stopped by the PID of the postmaster it started (read from {@code postmaster.pid}
 * and checked to be a descendant of the process this JVM launched), also on JVM shutdown.
 */
public final class PostgresNode extends LoopbackServer implements ProcessReaper.Stoppable {

  private static final Pattern CLUSTER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_-]{0,62}");

  private final PostgresTools tools;
  private final Path dataDir;
  private final String clusterName;
  private final String superuser;
  private final Map<String, String> settings;
  private final Duration startTimeout;
  private final boolean outlivesJvm;
  private final Consumer<ProcessHandle> onStart;

  private ManagedProcess launched;
  private ProcessHandle postmaster;

  private PostgresNode(Builder b) {
    super(b.host, b.portOrFree());
    this.tools = b.tools;
    this.dataDir = b.dataDir.toAbsolutePath().normalize();
    this.clusterName = b.clusterName;
    this.superuser = b.superuser;
    this.settings = Map.copyOf(b.settings);
    this.startTimeout = b.startTimeout;
    this.outlivesJvm = b.outlivesJvm;
    this.onStart = b.onStart;
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * Creates an empty cluster in the data directory ({@code initdb --auth=trust --no-sync}): trust
   * authentication is only acceptable because the node listens on loopback for tests and drills.
   */
  public PostgresNode initdb() {
    prepareDataDirectory();
    tools.run(
        "initdb",
        List.of(
            "-D",
            dataDir.toString(),
            "--auth=trust",
            "--no-sync",
            "-U",
            superuser,
            "-E",
            "UTF8",
            "--locale=C"),
        Duration.ofSeconds(120));
    return this;
  }

  /**
   * Creates the (empty) data directory owned by the PostgreSQL user, for initdb or as the target of
   * {@code pg_basebackup}.
   */
  public void prepareDataDirectory() {
    tools.prepareOwnedDirectory(dataDir);
  }

  /** Starts the server and waits until it accepts connections (primary or hot standby). */
  public synchronized PostgresNode start() {
    if (isRunning()) {
      throw new IllegalStateException(this + " is already running");
    }
    if (!Files.exists(dataDir.resolve("PG_VERSION"))) {
      throw new IllegalStateException(
          "data directory " + dataDir + " holds no cluster: call initdb() or pg_basebackup first");
    }
    List<String> args = new ArrayList<>(List.of("-D", dataDir.toString()));
    for (Map.Entry<String, String> setting : effectiveSettings().entrySet()) {
      args.add("-c");
      args.add(setting.getKey() + "=" + setting.getValue());
    }
    launched =
        ManagedProcess.start(
            clusterName,
            tools.command("postgres", args),
            Map.of(),
            tools.runDirectory().root(),
            tools.runDirectory().logFile(clusterName));
    launched.detachFromReaper();
    if (!outlivesJvm) {
      ProcessReaper.register(this);
    }
    try {
      postmaster = awaitReady();
    } catch (RuntimeException e) {
      launched.stop(Duration.ofSeconds(2));
      ProcessReaper.unregister(this);
      throw e;
    }
    onStart.accept(postmaster);
    return this;
  }

  /**
   * Takes over a server that another process started on this node's data directory (the process
   * that now owns its lifetime, e.g. a supervisor): {@link #stop()}, {@link #kill9()} and {@link
   * #pid()} then act on {@code running} by PID. Adopting does not make this JVM stop it at exit.
   *
   * @throws IllegalStateException when {@code running} is not alive, is not the postmaster named by
   *     the data directory's postmaster.pid, or this node runs a different server of its own
   */
  public synchronized void adopt(ProcessHandle running) {
    if (postmaster != null && postmaster.isAlive()) {
      if (postmaster.pid() == running.pid()) {
        return;
      }
      throw new IllegalStateException(
          this + " runs PID " + postmaster.pid() + ", cannot adopt PID " + running.pid());
    }
    if (!running.isAlive() || postmasterPidFile().filter(pid -> pid == running.pid()).isEmpty()) {
      throw new IllegalStateException(
          "PID "
              + running.pid()
              + " is not the running postmaster of "
              + dataDir
              + " (see its postmaster.pid)");
    }
    postmaster = running;
  }

  private Optional<Long> postmasterPidFile() {
    try {
      List<String> lines =
          Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).trim()));
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
  }

  private Map<String, String> effectiveSettings() {
    Map<String, String> effective = new LinkedHashMap<>();
    effective.put("listen_addresses", host);
    effective.put("port", Integer.toString(port));
    effective.put("cluster_name", clusterName);
    effective.put("unix_socket_directories", "");
    effective.put("wal_log_hints", "on");
    effective.putAll(settings);
    return effective;
  }

  private ProcessHandle awaitReady() {
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!launched.isAlive()) {
        throw launched.exitedDuringStartup();
      }
      Optional<ProcessHandle> ready = readyPostmaster();
      if (ready.isPresent() && acceptsTcp()) {
        return ready.get();
      }
      ManagedProcess.pause(Duration.ofMillis(25));
    }
    throw launched.notReadyWithin("accept connections", startTimeout);
  }

  /** The postmaster named by postmaster.pid, if it is ours and reports ready or standby. */
  private Optional<ProcessHandle> readyPostmaster() {
    List<String> lines;
    try {
      lines = Files.readAllLines(dataDir.resolve("postmaster.pid"), StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
    if (lines.size() < 8) {
      return Optional.empty();
    }
    String status = lines.get(7).trim();
    if (!status.equals("ready") && !status.equals("standby")) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(lines.get(0).trim());
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    return ourProcess(pid);
  }

  private Optional<ProcessHandle> ourProcess(long pid) {
    ProcessHandle root = launched.handle();
    if (root.pid() == pid) {
      return Optional.of(root);
    }
    return root.descendants().filter(h -> h.pid() == pid).findFirst();
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
   * Fast shutdown ({@code pg_ctl stop -m fast}); if that fails, SIGKILL to the postmaster by PID.
   * Idempotent.
   */
  @Override
  public synchronized void stop() {
    if (postmaster != null && postmaster.isAlive()) {
      try {
        tools.run(
            "pg_ctl",
            List.of("stop", "-D", dataDir.toString(), "-m", "fast", "-w", "-t", "30"),
            Duration.ofSeconds(40));
      } catch (ProcessFailedException e) {
        System.err.println("procs: pg_ctl stop failed for " + this + ", killing it: " + e);
      }
      if (postmaster.isAlive()) {
        killTree(postmaster);
      }
    }
    finishStop();
  }

  /** SIGKILL to the postmaster, no shutdown checkpoint: a crash. Its backends exit after it. */
  public synchronized void kill9() {
    if (postmaster != null && postmaster.isAlive()) {
      killTree(postmaster);
    }
    finishStop();
  }

  private void finishStop() {
    if (launched != null) {
      launched.waitForExit(Duration.ofSeconds(5));
      launched.stop(Duration.ofSeconds(1));
    }
    postmaster = null;
    ProcessReaper.unregister(this);
  }

  private static void killTree(ProcessHandle process) {
    List<ProcessHandle> children = process.descendants().toList();
    process.destroyForcibly();
    waitGone(process, Duration.ofSeconds(5));
    // Backends notice the postmaster's death by themselves; only stragglers get a SIGKILL.
    for (ProcessHandle child : children) {
      if (!waitGone(child, Duration.ofSeconds(2))) {
        child.destroyForcibly();
        waitGone(child, Duration.ofSeconds(2));
      }
    }
  }

  private static boolean waitGone(ProcessHandle process, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline) {
      ManagedProcess.pause(Duration.ofMillis(10));
    }
    return !process.isAlive();
  }

  /** {@code pg_ctl promote -w}: ends recovery on a standby and waits for it to accept writes. */
  public void promote() {
    tools.run(
        "pg_ctl",
        List.of("promote", "-D", dataDir.toString(), "-w", "-t", "60"),
        Duration.ofSeconds(70));
  }

  /** {@code createdb}: a new, empty database owned by the superuser. */
  public void createDatabase(String name) {
    if (!name.matches("[a-z_][a-z0-9_]{0,62}")) {
      throw new IllegalArgumentException(
          "database name '" + name + "' is invalid: use lower-case letters, digits and '_'");
    }
    tools.run(
        "createdb",
        List.of("-h", host, "-p", Integer.toString(port), "-U", superuser, name),
        Duration.ofSeconds(30));
  }

  @Override
  public void stopOnShutdown() {
    ProcessHandle pm = postmaster;
    if (pm == null || !pm.isAlive()) {
      return;
    }
    // SIGINT is PostgreSQL's fast shutdown; a shutdown hook cannot wait long.
    try {
      new ProcessBuilder("kill", "-s", "INT", Long.toString(pm.pid())).start().waitFor();
    } catch (IOException e) {
      pm.destroyForcibly();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (!waitGone(pm, Duration.ofSeconds(5))) {
      killTree(pm);
    }
  }

  /** The postmaster, whose PID {@link #pid()} is. */
  @Override
  ProcessHandle serving() {
    return postmaster;
  }

  public Path dataDir() {
    return dataDir;
  }

  public String clusterName() {
    return clusterName;
  }

  public String superuser() {
    return superuser;
  }

  public PostgresTools tools() {
    return tools;
  }

  public Path logFile() {
    return tools.runDirectory().logFile(clusterName);
  }

  /** {@code jdbc:postgresql://host:port/database} (user: {@link #superuser()}, no password). */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host + ":" + port + "/" + database;
  }

  /** A libpq connection string, e.g. for {@code primary_conninfo} or pg_rewind's source. */
  public String conninfo(String database) {
    return "host=" + host + " port=" + port + " user=" + superuser + " dbname=" + database;
  }

  @Override
  public String toString() {
    return "postgres " + clusterName + " on " + host + ":" + port;
  }

  /**
   * Settings of one node; {@link #dataDir} is required. Defaults: host 127.0.0.1, a free port, logs
   * in the data directory's parent, OS user {@code postgres} when root, start timeout 60 s.
   */
  public static final class Builder extends DatabaseServerBuilder<Builder> {
    private Path binDir = PostgresTools.DEFAULT_BIN_DIR;
    private PostgresTools tools;
    private String clusterName;
    private String superuser = "postgres";
    private boolean outlivesJvm;
    private Consumer<ProcessHandle> onStart = postmaster -> {};

    private Builder() {
      super("postgres");
    }

    @Override
    Builder self() {
      return this;
    }

    /**
     * Whether a server this node starts keeps running when this JVM exits (default false: it is
     * stopped at exit). For a JVM that works on servers whose lifetime another process owns.
     */
    public Builder outlivesJvm(boolean outlivesJvm) {
      this.outlivesJvm = outlivesJvm;
      return this;
    }

    /**
     * Called with the postmaster each time {@link #start()} has brought one up (e.g. to record it).
     */
    public Builder onStart(Consumer<ProcessHandle> onStart) {
      this.onStart = Objects.requireNonNull(onStart, "onStart");
      return this;
    }

    /** Default /usr/lib/postgresql/15/bin. */
    public Builder binDir(Path binDir) {
      this.binDir = Objects.requireNonNull(binDir, "binDir");
      return this;
    }

    /** Shares one {@link PostgresTools} between nodes (overrides binDir, osUser, runDirectory). */
    public Builder tools(PostgresTools tools) {
      this.tools = tools;
      return this;
    }

    /** cluster_name, which is also the application_name a standby reports; default: dir name. */
    public Builder clusterName(String clusterName) {
      this.clusterName = clusterName;
      return this;
    }

    public Builder superuser(String superuser) {
      this.superuser = Objects.requireNonNull(superuser, "superuser");
      return this;
    }

    public Builder settings(Map<String, String> more) {
      more.forEach(this::setting);
      return this;
    }

    public PostgresNode build() {
      requireDataDir();
      if (clusterName == null) {
        clusterName = dataDir.getFileName().toString().replaceAll("[^A-Za-z0-9_-]", "_");
      }
      if (!CLUSTER_NAME.matcher(clusterName).matches()) {
        throw new IllegalArgumentException(
            "cluster name '"
                + clusterName
                + "' is invalid: use a letter then up to 62 letters, digits, '_' or '-'");
      }
      if (tools == null) {
        RunDirectory dir =
            runDirectory != null
                ? runDirectory
                : RunDirectory.at(dataDir.toAbsolutePath().normalize().getParent());
        tools = PostgresTools.create(binDir, osUser, dir);
      }
      return new PostgresNode(this);
    }
  }
}
