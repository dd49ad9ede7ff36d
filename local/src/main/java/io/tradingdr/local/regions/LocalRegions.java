package io.tradingdr.local.regions;

import io.tradingdr.aws.dynamodb.ControlTableSchema;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.decision.Decision;
import io.tradingdr.core.decision.Verdict;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.run.Sleeper;
import io.tradingdr.local.db.PostgresStreamingReplication;
import io.tradingdr.local.dns.DnsTrafficRouter;
import io.tradingdr.local.dns.KnotDnsServer;
import io.tradingdr.local.dns.TsigKey;
import io.tradingdr.local.net.NetworkPartition;
import io.tradingdr.local.orchestration.LocalOrchestration;
import io.tradingdr.local.regions.LocalState.OwnedProcess;
import io.tradingdr.local.sessions.DynamoDbSessionReplicator;
import io.tradingdr.procs.DynamoDbLocalProcess;
import io.tradingdr.procs.FreePorts;
import io.tradingdr.procs.ManagedProcess;
import io.tradingdr.procs.PostgresNode;
import io.tradingdr.procs.PostgresTools;
import io.tradingdr.procs.RunDirectory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

/**
 * Two regions of real processes on loopback, started in dependency order and stopped in reverse: a
 * PostgreSQL primary (region A) and streaming standby (region B), DynamoDB Local for sessions in
 * each region with {@link DynamoDbSessionReplicator} between them, DynamoDB Local as the control
 * store, a knot DNS server that plays Route 53, and one trading service per region.
 *
 * <p>This object is the supervisor: every process is its child and is stopped by PID when it is
 * closed, when a start fails halfway, and on JVM shutdown (Ctrl-C, SIGTERM from {@code drctl local
 * down}). It writes {@link LocalState} to the run directory so that other commands can see what
 * runs; it refuses to start when another supervisor of the same run directory is alive.
 *
 * <p>{@link #attach} gives another process (drctl with {@code --target local}, a drill) the same
 * view of regions a supervisor runs, rebuilt from the state file, the TSIG key file and the data
 * directories, without owning them: closing it stops nothing. Whatever an attached process starts
 * (a PostgreSQL rewound by a rejoin, a trading service restarted by the capacity port) keeps
 * running after it exits and is recorded in the state file, so that the supervisor and {@code drctl
 * local down} stop it by PID. The state file is the authority on which processes are the regions':
 * both sides act on a PostgreSQL or a service only as recorded there (PID and start time), and
 * {@link #replication()} first adopts the postmasters recorded since the last call.
 */
public final class LocalRegions implements AutoCloseable {

  /** The database the trading service uses. */
  public static final String DATABASE = "trading";

  private static final String DB_USER = "postgres";
  private static final String AWS_REGION = "us-east-1";

  private final LocalRegionsSettings settings;
  private final PrintWriter progress;
  private final RunDirectory runDirectory;
  private final Deque<AutoCloseable> started = new ArrayDeque<>();
  private final Map<String, String> endpoints = new ConcurrentHashMap<>();
  private final Map<RegionId, Integer> servicePorts = new LinkedHashMap<>();
  private final Map<RegionId, Integer> sessionPorts = new ConcurrentHashMap<>();
  private final Map<RegionId, DynamoDbLocalProcess> sessionStores = new ConcurrentHashMap<>();
  private final Thread shutdownHook = new Thread(this::close, "local-regions-stop");

  /** The supervisor this object belongs to: this JVM, or the one it is attached to. */
  private final OwnedProcess supervisor;

  private final boolean attached;
  private volatile PostgresStreamingReplication replication;
  private volatile DynamoDbLocalProcess controlStore;
  private volatile URI controlEndpoint;
  private volatile KnotDnsServer dns;
  private volatile InetSocketAddress dnsAddress;
  private volatile DnsTrafficRouter router;
  private DynamoDbSessionReplicator replicator;
  private SupervisorMonitorHold monitorHold;
  private boolean closed;

  private LocalRegions(
      LocalRegionsSettings settings,
      PrintWriter progress,
      OwnedProcess supervisor,
      boolean attached) {
    this.settings = settings;
    this.progress = progress;
    this.runDirectory = RunDirectory.at(settings.runDir());
    this.supervisor = supervisor;
    this.attached = attached;
  }

  /**
   * Starts everything, or nothing: if a part fails to start, what already runs is stopped and the
   * error is rethrown.
   *
   * @throws IllegalStateException another supervisor owns the run directory, or a prerequisite is
   *     missing (the message says which and how to fix it)
   */
  public static LocalRegions up(LocalRegionsSettings settings, PrintWriter progress) {
    settings.requirePrerequisites();
    LocalRegions regions =
        new LocalRegions(
            settings, progress, OwnedProcess.of("supervisor", ProcessHandle.current()), false);
    regions.claimRunDirectory();
    Runtime.getRuntime().addShutdownHook(regions.shutdownHook);
    try {
      regions.startAll();
      return regions;
    } catch (RuntimeException e) {
      regions.progress.println("start failed, stopping what was started: " + e.getMessage());
      regions.close();
      throw e;
    }
  }

  /**
   * Attaches to the regions a live supervisor runs from {@code runDir} (see the class comment).
   *
   * @throws UnreachableException no state file, or its supervisor is not alive: the message names
   *     the run directory and says to run {@code drctl local up} first
   */
  public static LocalRegions attach(Path runDir, PrintWriter progress) {
    Path dir = runDir.toAbsolutePath().normalize();
    LocalState state =
        LocalState.read(dir)
            .filter(s -> s.supervisor().live().isPresent())
            .orElseThrow(
                () ->
                    new UnreachableException(
                        "no local regions run from "
                            + dir
                            + " (no live supervisor in its "
                            + LocalState.FILE_NAME
                            + "): run 'drctl local up' first"));
    LocalRegionsSettings settings = settingsFrom(dir, state.settings());
    LocalRegions regions = new LocalRegions(settings, progress, state.supervisor(), true);
    regions.attachTo(state);
    return regions;
  }

  /**
   * For the drill: attaches when a live supervisor runs from the settings' run directory, else
   * starts the regions. Attached, the supervisor's automatic failover is held (its monitor skips
   * its rounds) until {@link #close()}, so that only the drill's orchestrators act.
   *
   * @throws IllegalArgumentException the running regions replicate in another mode than asked
   */
  public static LocalRegions upOrAttach(LocalRegionsSettings settings, PrintWriter progress) {
    boolean running =
        LocalState.read(settings.runDir())
            .filter(s -> s.supervisor().live().isPresent())
            .isPresent();
    if (!running) {
      return up(settings, progress);
    }
    LocalRegions regions = attach(settings.runDir(), progress);
    if (regions.settings().mode() != settings.mode()) {
      regions.close();
      throw new IllegalArgumentException(
          "--mode "
              + settings.mode().name().toLowerCase(java.util.Locale.ROOT)
              + " contradicts the local regions running from "
              + settings.runDir()
              + ", which replicate "
              + regions.settings().mode().name().toLowerCase(java.util.Locale.ROOT)
              + ": pass --mode "
              + regions.settings().mode().name().toLowerCase(java.util.Locale.ROOT)
              + ", or stop them with 'drctl local down'");
    }
    regions.monitorHold = SupervisorMonitorHold.take(settings.runDir(), "drill");
    progress.println(
        "attached to the local regions of supervisor PID "
            + regions.supervisor.pid()
            + " in "
            + settings.runDir()
            + " (its automatic failover is held for the drill)");
    return regions;
  }

  private void attachTo(LocalState state) {
    controlEndpoint = URI.create(state.endpoint("control"));
    String[] dnsHostPort = state.endpoint("dns").split(":");
    dnsAddress =
        new InetSocketAddress(literalAddress(dnsHostPort[0]), Integer.parseInt(dnsHostPort[1]));
    PostgresTools tools = PostgresTools.create(runDirectory);
    Map<RegionId, PostgresNode> nodes = new LinkedHashMap<>();
    Map<RegionId, InetAddress> faces = new LinkedHashMap<>();
    for (LocalTopology.Region region : settings.topology().regions()) {
      RegionId id = region.id();
      servicePorts.put(id, URI.create(state.endpoint(id + ".service")).getPort());
      sessionPorts.put(id, URI.create(state.endpoint(id + ".sessions")).getPort());
      int pgPort =
          URI.create(state.endpoint(id + ".postgres").substring("jdbc:".length())).getPort();
      nodes.put(
          id,
          PostgresNode.builder()
              .tools(tools)
              .dataDir(settings.runDir().resolve("pg").resolve(id.value()))
              .clusterName(id.value())
              .host(region.publicAddress().getHostAddress())
              .port(pgPort)
              .setting(
                  "listen_addresses",
                  region.publicAddress().getHostAddress()
                      + ","
                      + region.internalAddress().getHostAddress())
              .settings(PostgresStreamingReplication.nodeSettings())
              .startTimeout(settings.startTimeout())
              // The supervisor owns the regions' lifetime: what this process starts stays up.
              .outlivesJvm(true)
              .onStart(postmaster -> own("postgres-" + id, postmaster))
              .build());
      faces.put(id, region.publicAddress());
    }
    endpoints.putAll(state.endpoints());
    replication = new PostgresStreamingReplication(nodes, settings.mode(), Duration.ofSeconds(2));
    router =
        new DnsTrafficRouter(
            dnsAddress,
            settings.zone(),
            settings.serviceHost(),
            readUpdateKey(settings.runDir()),
            faces,
            settings.dnsTtl());
  }

  private static InetAddress literalAddress(String ip) {
    try {
      // A literal IP address: no name lookup happens.
      return InetAddress.getByName(ip);
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException(
          "the state file's address " + ip + " is not an IP address", e);
    }
  }

  private void claimRunDirectory() {
    try {
      Files.createDirectories(settings.runDir());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create run directory " + settings.runDir(), e);
    }
    LocalState.read(settings.runDir())
        .ifPresent(
            previous -> {
              if (previous.supervisor().live().isPresent()) {
                throw new IllegalStateException(
                    "local regions already run from "
                        + settings.runDir()
                        + " (supervisor PID "
                        + previous.supervisor().pid()
                        + "): run 'drctl local down' first, or use another --run-dir");
              }
              progress.println("cleaning up after a previous run that did not stop cleanly");
              LocalRegionsControl.stopLeftovers(previous, progress);
              LocalState.delete(settings.runDir());
            });
    NetworkPartition.removeLeftover(partitionName());
    deleteRecursively(settings.runDir().resolve("pg"));
  }

  private void startAll() {
    LocalTopology topology = settings.topology();
    LocalTopology.Region a = topology.primary();
    LocalTopology.Region b = topology.secondary();
    long t0 = System.nanoTime();
    // Independent parts start side by side; each registers itself for stopping as soon as it runs.
    inParallel(
        List.of(
            () -> startDatabases(topology),
            () -> sessionStores.put(a.id(), startDynamoDb("sessions-" + a.id(), a.publicAddress())),
            () -> sessionStores.put(b.id(), startDynamoDb("sessions-" + b.id(), b.publicAddress())),
            () -> controlStore = startDynamoDb("control", topology.global()),
            () -> startDns(topology)));
    controlEndpoint = controlStore.endpoint();
    endpoints.put("control", controlEndpoint.toString());
    // The services' lease fence reads this table from its first moment.
    createControlTable();
    sessionStores.forEach(
        (region, store) -> {
          sessionPorts.put(region, store.port());
          endpoints.put(region + ".sessions", store.endpoint().toString());
        });
    // Clients find a region by DNS, which carries no port: both services use the same one.
    int servicePort = commonFreePort(a.publicAddress(), b.publicAddress());
    inParallel(
        List.of(
            () -> startService(a, replication.node(a.id()), servicePort),
            () -> startService(b, replication.node(b.id()), servicePort)));

    step("session replication " + a.id() + " <-> " + b.id());
    replicator =
        new DynamoDbSessionReplicator(
            side(a.id(), sessionStores.get(a.id()).endpoint()),
            side(b.id(), sessionStores.get(b.id()).endpoint()),
            settings.sessionsTable(),
            "updatedAt",
            Clock.systemUTC());
    register(replicator);
    replicator.start(settings.startTimeout());

    bootstrapWriteLease(a.id());
    writeState();
    progress.printf("local regions up in %.1f s%n", (System.nanoTime() - t0) / 1e9);
  }

  private void startDatabases(LocalTopology topology) {
    LocalTopology.Region a = topology.primary();
    step(
        "PostgreSQL primary in "
            + a.id()
            + ", "
            + settings.mode().name().toLowerCase(java.util.Locale.ROOT)
            + " standby in "
            + topology.secondary().id());
    PostgresTools tools = PostgresTools.create(runDirectory);
    Map<RegionId, PostgresNode> nodes = new LinkedHashMap<>();
    for (LocalTopology.Region region : topology.regions()) {
      nodes.put(
          region.id(),
          PostgresNode.builder()
              .tools(tools)
              .dataDir(settings.runDir().resolve("pg").resolve(region.id().value()))
              .clusterName(region.id().value())
              .host(region.publicAddress().getHostAddress())
              .setting(
                  "listen_addresses",
                  region.publicAddress().getHostAddress()
                      + ","
                      + region.internalAddress().getHostAddress())
              .settings(PostgresStreamingReplication.nodeSettings())
              .startTimeout(settings.startTimeout())
              .onStart(postmaster -> own("postgres-" + region.id(), postmaster))
              .build());
    }
    nodes.values().forEach(node -> register(node::stop));
    replication =
        PostgresStreamingReplication.setUp(nodes, a.id(), settings.mode(), settings.startTimeout());
    createDatabase(nodes.get(a.id()));
    for (LocalTopology.Region region : topology.regions()) {
      endpoints.put(region.id() + ".postgres", nodes.get(region.id()).jdbcUrl(DATABASE));
    }
  }

  private DynamoDbLocalProcess startDynamoDb(String role, InetAddress host) {
    step("DynamoDB Local (" + role + ") on " + host.getHostAddress());
    DynamoDbLocalProcess store =
        DynamoDbLocalProcess.builder()
            .name("dynamodb-" + role)
            .host(host.getHostAddress())
            .runDirectory(runDirectory)
            .startTimeout(settings.startTimeout())
            .build();
    register(store::stop);
    store.start();
    own("dynamodb-" + role, ProcessHandle.of(store.pid()).orElseThrow());
    return store;
  }

  private void startDns(LocalTopology topology) {
    step(
        "knot DNS server for "
            + settings.zone()
            + " (TTL "
            + settings.dnsTtl().toSeconds()
            + " s)");
    KnotDnsServer server =
        KnotDnsServer.start(
            new KnotDnsServer.Settings(
                settings.runDir().resolve("dns"),
                settings.zone(),
                topology.global(),
                0,
                Map.of(settings.serviceHost(), topology.primary().publicAddress()),
                settings.dnsTtl()),
            settings.startTimeout());
    register(server);
    dns = server;
    dnsAddress = server.address();
    own("knotd", ProcessHandle.of(server.pid()).orElseThrow());
    endpoints.put(
        "dns", server.address().getAddress().getHostAddress() + ":" + server.address().getPort());
    writeUpdateKey(server.updateKey());
    router =
        new DnsTrafficRouter(
            server.address(),
            settings.zone(),
            settings.serviceHost(),
            server.updateKey(),
            Map.of(
                topology.primary().id(), topology.primary().publicAddress(),
                topology.secondary().id(), topology.secondary().publicAddress()),
            settings.dnsTtl());
  }

  /** A TCP port free on every one of {@code addresses} a moment ago. */
  static int commonFreePort(InetAddress... addresses) {
    for (int attempt = 0; attempt < 100; attempt++) {
      int port = FreePorts.pick(addresses[0].getHostAddress());
      if (java.util.Arrays.stream(addresses).allMatch(address -> bindable(address, port))) {
        return port;
      }
    }
    throw new IllegalStateException(
        "no TCP port is free on all of " + java.util.Arrays.toString(addresses));
  }

  private static boolean bindable(InetAddress address, int port) {
    try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
      socket.bind(new InetSocketAddress(address, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** The port both regions' services listen on, behind the DNS name. */
  public synchronized int servicePort() {
    return servicePorts.values().iterator().next();
  }

  /**
   * Runs the tasks on their own threads and waits for all of them, also when one fails (so that
   * nothing is still starting when the caller stops what started); then rethrows the first error.
   */
  private static void inParallel(List<Runnable> tasks) {
    List<CompletableFuture<Void>> running = new ArrayList<>();
    for (Runnable task : tasks) {
      running.add(
          CompletableFuture.runAsync(task, command -> Thread.ofPlatform().daemon().start(command)));
    }
    RuntimeException first = null;
    for (CompletableFuture<Void> future : running) {
      try {
        future.join();
      } catch (CompletionException e) {
        if (first == null) {
          first = e.getCause() instanceof RuntimeException r ? r : e;
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }

  private void startService(LocalTopology.Region region, PostgresNode node, int port) {
    step("trading service in " + region.id());
    synchronized (this) {
      servicePorts.put(region.id(), port);
    }
    endpoints.put(region.id() + ".service", serviceEndpoint(region.id()).toString());
    launchService(region.id());
  }

  /**
   * What the region's service is started with; derived from the ports, so attach can rebuild it.
   */
  private Map<String, String> serviceEnvironment(RegionId regionId) {
    LocalTopology.Region region = settings.topology().region(regionId);
    String internal = region.internalAddress().getHostAddress();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TDR_REGION", regionId.value());
    env.put("TDR_HTTP_HOST", region.publicAddress().getHostAddress());
    env.put("TDR_HTTP_PORT", Integer.toString(servicePort()));
    env.put(
        "TDR_DB_URL",
        "jdbc:postgresql://" + internal + ":" + replication.node(regionId).port() + "/" + DATABASE);
    env.put("TDR_DB_USER", DB_USER);
    env.put("TDR_SESSIONS_TABLE", settings.sessionsTable());
    env.put("TDR_DYNAMODB_ENDPOINT", "http://" + internal + ":" + sessionPorts.get(regionId));
    env.put("TDR_AWS_REGION", AWS_REGION);
    // The write lease in the control store is the fence, reached over the region's own (cuttable)
    // path, with the TTL and margin the local orchestrator grants it with.
    OrchestratorConfig lease = OrchestratorConfig.localBuilder().build();
    env.put("TDR_CONTROL_TABLE", LocalOrchestration.CONTROL_TABLE);
    env.put("TDR_CONTROL_ENDPOINT", controlStoreEndpointFrom(regionId).toString());
    env.put("TDR_CONTROL_REGION", AWS_REGION);
    env.put("TDR_WRITE_LEASE_TTL", lease.writeLeaseTtl().toMillis() + "ms");
    env.put("TDR_WRITE_LEASE_SAFETY_MARGIN", lease.writeLeaseSafetyMargin().toMillis() + "ms");
    env.put("AWS_ACCESS_KEY_ID", "local");
    env.put("AWS_SECRET_ACCESS_KEY", "local");
    return env;
  }

  private List<String> serviceCommand() {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", settings.serviceJar().toString());
  }

  /**
   * Starts the region's service and waits until it is healthy. The supervisor starts it as its
   * child (stopped with it); an attached process starts it detached, so that it outlives the
   * command, and leaves stopping it to the supervisor and {@code local down}, through the state
   * file.
   */
  private void launchService(RegionId region) {
    String name = serviceName(region);
    Path log = runDirectory.logFile(name);
    ProcessHandle handle;
    if (attached) {
      ProcessBuilder builder =
          new ProcessBuilder(serviceCommand())
              .directory(settings.runDir().toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
      builder.environment().putAll(serviceEnvironment(region));
      try {
        Files.createDirectories(log.getParent());
        handle = builder.start().toHandle();
      } catch (IOException e) {
        throw new IllegalStateException("cannot start " + name + ": " + e.getMessage(), e);
      }
    } else {
      ManagedProcess service =
          ManagedProcess.start(
              name, serviceCommand(), serviceEnvironment(region), settings.runDir(), log);
      register(() -> service.stop(Duration.ofSeconds(10)));
      handle = service.handle();
    }
    own(name, handle);
    awaitHealthy(name, handle, log, serviceEndpoint(region).resolve("/health"));
  }

  private static String serviceName(RegionId region) {
    return "service-" + region;
  }

  /** The region's service as the state file records it, if it still runs. */
  private Optional<ProcessHandle> recordedService(RegionId region) {
    return LocalState.read(settings.runDir())
        .flatMap(state -> state.process(serviceName(region)))
        .flatMap(OwnedProcess::live);
  }

  /**
   * SIGKILL to the region's trading service (as recorded in the state file): a crash. Idempotent.
   */
  public void killService(RegionId region) {
    recordedService(region)
        .ifPresent(
            service -> {
              service.destroyForcibly();
              await(service, Duration.ofSeconds(5));
            });
  }

  /** Stops the region's trading service (SIGTERM, then SIGKILL after 10 s). Idempotent. */
  public void stopService(RegionId region) {
    recordedService(region)
        .ifPresent(
            service -> {
              service.destroy();
              if (!await(service, Duration.ofSeconds(10))) {
                service.destroyForcibly();
                await(service, Duration.ofSeconds(5));
              }
            });
  }

  /**
   * Starts the region's trading service again (same port and settings) and waits until it answers
   * its health check. Does nothing when it runs.
   */
  public synchronized void restartService(RegionId region) {
    if (!servicePorts.containsKey(region)) {
      throw new IllegalArgumentException("no service in " + region);
    }
    if (recordedService(region).isEmpty()) {
      launchService(region);
    }
  }

  /**
   * The region's trading service process as the state file records it, if it runs: the same for the
   * supervisor and attached processes (e.g. for a drill that signals it).
   */
  public Optional<ProcessHandle> serviceProcess(RegionId region) {
    return recordedService(region);
  }

  /** Whether the region's trading service process, as recorded in the state file, runs. */
  public boolean serviceRunning(RegionId region) {
    return recordedService(region).isPresent();
  }

  /** Whether the region's service, as recorded in the state file, runs and answers /health now. */
  public boolean serviceHealthy(RegionId region) {
    if (recordedService(region).isEmpty()) {
      return false;
    }
    try {
      return HttpClient.newBuilder()
              .connectTimeout(Duration.ofSeconds(1))
              .build()
              .send(
                  HttpRequest.newBuilder(serviceEndpoint(region).resolve("/health"))
                      .timeout(Duration.ofSeconds(1))
                      .GET()
                      .build(),
                  HttpResponse.BodyHandlers.discarding())
              .statusCode()
          == 200;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Waits until the region's service answers its health check, for at most {@code timeout}; throws
   * IllegalStateException naming what it last saw.
   */
  public void awaitServiceHealthy(RegionId region, Duration timeout) {
    ProcessHandle service =
        recordedService(region)
            .orElseThrow(() -> new IllegalStateException(serviceName(region) + " is not running"));
    awaitHealthy(
        serviceName(region),
        service,
        runDirectory.logFile(serviceName(region)),
        serviceEndpoint(region).resolve("/health"),
        timeout);
  }

  private void awaitHealthy(String name, ProcessHandle service, Path log, URI health) {
    awaitHealthy(name, service, log, health, settings.startTimeout());
  }

  private static void awaitHealthy(
      String name, ProcessHandle service, Path log, URI health, Duration timeout) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long deadline = System.nanoTime() + timeout.toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException(name + " exited; log " + log);
      }
      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(health).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() == 200) {
          return;
        }
        last = "HTTP " + response.statusCode();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + name, e);
      }
      pause(Duration.ofMillis(100));
    }
    throw new IllegalStateException(
        name + " not healthy at " + health + " after " + timeout + " (" + last + "); log " + log);
  }

  private static boolean await(ProcessHandle process, Duration timeout) {
    try {
      process.onExit().get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException e) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return !process.isAlive();
    }
  }

  private void createControlTable() {
    try (DynamoDbClient control = controlClient()) {
      ControlTableSchema.createTable(control, LocalOrchestration.CONTROL_TABLE);
    }
  }

  /** Grants the first write lease to the primary, so that it takes writes right after up. */
  private void bootstrapWriteLease(RegionId primary) {
    step("write lease for " + primary);
    try (LocalOrchestration orchestration =
        LocalOrchestration.open(this, Clock.systemUTC(), progress)) {
      Decision d =
          new Orchestrator(
                  OrchestratorConfig.localBuilder().build(),
                  orchestration.ports(),
                  Clock.systemUTC(),
                  Sleeper.threadSleep(),
                  "local-up")
              .bootstrapWriteLease(primary);
      if (d.verdict() == Verdict.REFUSED) {
        throw new IllegalStateException(d.reason());
      }
    }
    awaitAdmittingWrites(primary);
  }

  /** Waits until the service has renewed the new lease (every third of its TTL) and admits. */
  private void awaitAdmittingWrites(RegionId region) {
    URI ready = serviceEndpoint(region).resolve("/health/ready");
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    java.util.regex.Pattern admits = java.util.regex.Pattern.compile("\"admits\"\\s*:\\s*true");
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> response =
            client.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (admits.matcher(response.body()).find()) {
          return;
        }
        last = "HTTP " + response.statusCode() + ": " + response.body();
      } catch (IOException e) {
        last = e.toString();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for " + region, e);
      }
      pause(Duration.ofMillis(100));
    }
    throw new IllegalStateException(
        "the service in " + region + " does not admit writes after the lease bootstrap: " + last);
  }

  private DynamoDbClient controlClient() {
    return DynamoDbClient.builder()
        .endpointOverride(controlEndpoint)
        .region(Region.of(AWS_REGION))
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .build();
  }

  private static void createDatabase(PostgresNode primary) {
    Properties props = new Properties();
    props.setProperty("user", primary.superuser());
    try (Connection c = DriverManager.getConnection(primary.jdbcUrl("postgres"), props);
        Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + DATABASE);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create database " + DATABASE + " on " + primary, e);
    }
  }

  private DynamoDbSessionReplicator.Side side(RegionId region, URI endpoint) {
    StaticCredentialsProvider credentials =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    DynamoDbClient client =
        DynamoDbClient.builder()
            .endpointOverride(endpoint)
            .region(Region.of(AWS_REGION))
            .credentialsProvider(credentials)
            .build();
    DynamoDbStreamsClient streams =
        DynamoDbStreamsClient.builder()
            .endpointOverride(endpoint)
            .region(Region.of(AWS_REGION))
            .credentialsProvider(credentials)
            .build();
    register(client);
    register(streams);
    return new DynamoDbSessionReplicator.Side(region.value(), client, streams);
  }

  private synchronized void register(AutoCloseable part) {
    started.push(part);
  }

  /**
   * Closes {@code part} when the regions stop, before everything registered earlier (e.g. the
   * supervisor's orchestrator, which must not fail over regions that are being stopped).
   */
  public void closeFirst(AutoCloseable part) {
    register(part);
  }

  /** Records a process of the regions in the state file, replacing its earlier, dead entry. */
  private void own(String name, ProcessHandle handle) {
    // A process that already exited has no start time and nothing left to stop: its own start
    // check reports the failure.
    handle
        .info()
        .startInstant()
        .ifPresent(
            startedAt ->
                LocalState.update(
                    settings.runDir(),
                    current ->
                        current(current)
                            .withProcess(new OwnedProcess(name, handle.pid(), startedAt))));
  }

  private void writeState() {
    LocalState.update(
        settings.runDir(), current -> current(current).withEndpoints(Map.copyOf(endpoints)));
  }

  /**
   * The state to change: the supervisor starts it; an attached process only changes the state of
   * the supervisor it attached to (not of regions started again since).
   */
  private LocalState current(Optional<LocalState> state) {
    if (state.isPresent() && state.get().supervisor().equals(supervisor)) {
      return state.get();
    }
    if (attached) {
      throw new UnreachableException(
          "the local regions this command attached to in "
              + settings.runDir()
              + " (supervisor PID "
              + supervisor.pid()
              + ") are gone; run 'drctl local up' first");
    }
    return new LocalState(supervisor, List.of(), Map.of(), settingsProperties(settings));
  }

  /** Settings as the state file keeps them, for {@link #attach}. */
  private static Map<String, String> settingsProperties(LocalRegionsSettings s) {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("mode", s.mode().name());
    p.put("serviceJar", s.serviceJar().toString());
    p.put("dnsTtl", s.dnsTtl().toString());
    p.put("zone", s.zone());
    p.put("serviceHost", s.serviceHost());
    p.put("sessionsTable", s.sessionsTable());
    p.put("startTimeout", s.startTimeout().toString());
    for (LocalTopology.Region r : s.topology().regions()) {
      p.put("region." + r.id().value(), Integer.toString(r.index()));
    }
    p.put("topology.primary", s.topology().primary().id().value());
    p.put("topology.global", s.topology().global().getHostAddress());
    return p;
  }

  private static LocalRegionsSettings settingsFrom(Path runDir, Map<String, String> p) {
    String primary = require(p, "topology.primary");
    List<LocalTopology.Region> regions = new ArrayList<>();
    p.forEach(
        (key, value) -> {
          if (key.startsWith("region.")) {
            regions.add(
                new LocalTopology.Region(
                    RegionId.of(key.substring("region.".length())), Integer.parseInt(value)));
          }
        });
    if (regions.size() != 2) {
      throw new IllegalStateException("the state file records " + regions.size() + " regions");
    }
    LocalTopology.Region first =
        regions.stream().filter(r -> r.id().value().equals(primary)).findFirst().orElseThrow();
    LocalTopology.Region second =
        regions.stream().filter(r -> r != first).findFirst().orElseThrow();
    InetAddress global;
    try {
      global = InetAddress.getByName(require(p, "topology.global"));
    } catch (java.net.UnknownHostException e) {
      throw new IllegalStateException("the state file's topology.global is not an address", e);
    }
    return new LocalRegionsSettings(
        runDir,
        PostgresStreamingReplication.Mode.valueOf(require(p, "mode")),
        Path.of(require(p, "serviceJar")),
        Duration.parse(require(p, "dnsTtl")),
        require(p, "zone"),
        require(p, "serviceHost"),
        require(p, "sessionsTable"),
        Duration.parse(require(p, "startTimeout")),
        new LocalTopology(first, second, global));
  }

  private static String require(Map<String, String> p, String key) {
    String value = p.get(key);
    if (value == null) {
      throw new IllegalStateException("the state file has no setting '" + key + "'");
    }
    return value;
  }

  private static final String UPDATE_KEY_FILE = "dns-update.key";

  /** The DNS update key, readable only by its owner, for attached processes' routers. */
  private void writeUpdateKey(TsigKey key) {
    Path file = settings.runDir().resolve(UPDATE_KEY_FILE);
    Properties p = new Properties();
    p.setProperty("name", key.name());
    p.setProperty("secret", key.secretBase64());
    try {
      Files.deleteIfExists(file);
      Files.createFile(
          file,
          java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
              java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      try (var out = Files.newBufferedWriter(file)) {
        p.store(out, "TSIG key for RFC 2136 updates of the local regions' zone");
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  private static TsigKey readUpdateKey(Path runDir) {
    Path file = runDir.resolve(UPDATE_KEY_FILE);
    Properties p = new Properties();
    try (var in = Files.newBufferedReader(file)) {
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the DNS update key " + file, e);
    }
    return new TsigKey(p.getProperty("name"), p.getProperty("secret"));
  }

  private void step(String what) {
    progress.println("starting " + what);
  }

  public LocalRegionsSettings settings() {
    return settings;
  }

  /**
   * The database pair, its nodes bound first to the postmasters the state file records now: another
   * process (an attached drctl's rejoin, or the supervisor's) may have restarted one since.
   */
  public PostgresStreamingReplication replication() {
    LocalState.read(settings.runDir())
        .filter(state -> state.supervisor().equals(supervisor))
        .ifPresent(
            state -> {
              for (LocalTopology.Region region : settings.topology().regions()) {
                PostgresNode node = replication.node(region.id());
                state
                    .process("postgres-" + region.id())
                    .flatMap(OwnedProcess::live)
                    .filter(pm -> !node.isRunning() || node.pid() != pm.pid())
                    .ifPresent(pm -> adopt(node, pm));
              }
            });
    return replication;
  }

  private void adopt(PostgresNode node, ProcessHandle postmaster) {
    try {
      node.adopt(postmaster);
    } catch (IllegalStateException e) {
      progress.println("warning: " + e.getMessage());
    }
  }

  public DnsTrafficRouter router() {
    return router;
  }

  /**
   * The DNS server object; only the supervisor has one.
   *
   * @throws IllegalStateException on attached regions: use {@link #dnsAddress()}
   */
  public KnotDnsServer dns() {
    if (dns == null) {
      throw new IllegalStateException(
          "the DNS server belongs to the supervisor of "
              + settings.runDir()
              + ": use dnsAddress()");
    }
    return dns;
  }

  /** Where the DNS server answers (both for the supervisor and attached). */
  public InetSocketAddress dnsAddress() {
    return dnsAddress;
  }

  /** The session replicator; it runs in the supervisor, so attached regions have none (null). */
  public DynamoDbSessionReplicator sessionReplicator() {
    return replicator;
  }

  /** Whether this object is attached to regions another process supervises. */
  public boolean attached() {
    return attached;
  }

  public URI controlStoreEndpoint() {
    return controlEndpoint;
  }

  public synchronized URI serviceEndpoint(RegionId region) {
    Integer port = servicePorts.get(region);
    if (port == null) {
      throw new IllegalArgumentException("no service in " + region);
    }
    return URI.create(
        "http://"
            + settings.topology().region(region).publicAddress().getHostAddress()
            + ":"
            + port);
  }

  /**
   * A partition that cuts {@code region} off from clients, the other region, the orchestrator and
   * the control store, and leaves the region's own paths open. Not yet applied: call {@link
   * NetworkPartition#cut()}.
   */
  public NetworkPartition partition(RegionId region) {
    LocalTopology.Region r = settings.topology().region(region);
    InetAddress face = r.publicAddress();
    return new NetworkPartition(
        partitionName(),
        Set.of(
            new NetworkPartition.Endpoint(face, servicePorts.get(region)),
            new NetworkPartition.Endpoint(face, replication.node(region).port()),
            new NetworkPartition.Endpoint(face, sessionPorts.get(region)),
            new NetworkPartition.Endpoint(r.controlPathAddress(), controlEndpoint.getPort())),
        r.cidr());
  }

  /** The control store endpoint as seen from inside {@code region} (its cuttable path). */
  public URI controlStoreEndpointFrom(RegionId region) {
    InetSocketAddress path =
        new InetSocketAddress(
            settings.topology().region(region).controlPathAddress(), controlEndpoint.getPort());
    return URI.create("http://" + path.getAddress().getHostAddress() + ":" + path.getPort());
  }

  private String partitionName() {
    // One partition table per run directory, so a crashed run's table can be found again.
    return "p" + Integer.toHexString(settings.runDir().toString().hashCode() & 0x7fff_ffff);
  }

  /**
   * The supervisor stops everything in reverse start order, then whatever else the state file
   * records (processes attached commands started); attached, it only releases its clients and its
   * hold on the supervisor's monitor. Idempotent.
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (attached) {
      if (monitorHold != null) {
        monitorHold.close();
      }
      stopStarted();
      return;
    }
    Optional<LocalState> recorded = LocalState.read(settings.runDir());
    stopStarted();
    // Started by attached commands, or by this JVM in place of a part it had started.
    LocalState.read(settings.runDir())
        .or(() -> recorded)
        .filter(state -> state.supervisor().equals(supervisor))
        .ifPresent(state -> LocalRegionsControl.stopLeftovers(state, progress));
    try {
      NetworkPartition.removeLeftover(partitionName());
    } catch (RuntimeException e) {
      progress.println("warning: " + e.getMessage());
    }
    LocalState.delete(settings.runDir());
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Called from the shutdown hook itself.
    }
    progress.println("local regions stopped");
  }

  private void stopStarted() {
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        progress.println("warning: stopping " + part + " failed: " + e.getMessage());
      }
    }
  }

  private static void deleteRecursively(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove old data under " + dir, e);
    }
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public String toString() {
    return "local regions in " + settings.runDir() + " (" + Objects.toString(settings.mode()) + ")";
  }
}
