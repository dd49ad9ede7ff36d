package io.tradingdr.local.regions;

import io.tradingdr.aws.dynamodb.ControlTableSchema;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.decision.Decision;
import io.tradingdr.core.decision.Verdict;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.run.Sleeper;
import io.tradingdr.local.db.PostgresStreamingReplication;
import io.tradingdr.local.dns.DnsTrafficRouter;
import io.tradingdr.local.dns.KnotDnsServer;
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
  private final List<OwnedProcess> owned = new ArrayList<>();
  private final Map<String, String> endpoints = new ConcurrentHashMap<>();
  private final Map<RegionId, ManagedProcess> services = new LinkedHashMap<>();
  private final Map<RegionId, Integer> servicePorts = new LinkedHashMap<>();
  private final Map<RegionId, Map<String, String>> serviceEnvironments = new LinkedHashMap<>();
  private final Map<RegionId, DynamoDbLocalProcess> sessionStores = new ConcurrentHashMap<>();
  private final Thread shutdownHook = new Thread(this::close, "local-regions-stop");
  private volatile PostgresStreamingReplication replication;
  private volatile DynamoDbLocalProcess controlStore;
  private volatile KnotDnsServer dns;
  private volatile DnsTrafficRouter router;
  private DynamoDbSessionReplicator replicator;
  private boolean closed;

  private LocalRegions(LocalRegionsSettings settings, PrintWriter progress) {
    this.settings = settings;
    this.progress = progress;
    this.runDirectory = RunDirectory.at(settings.runDir());
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
    LocalRegions regions = new LocalRegions(settings, progress);
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
    endpoints.put("control", controlStore.endpoint().toString());
    // The services' lease fence reads this table from its first moment.
    createControlTable();
    sessionStores.forEach(
        (region, store) -> endpoints.put(region + ".sessions", store.endpoint().toString()));
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
              .build());
    }
    nodes.values().forEach(node -> register(node::stop));
    replication =
        PostgresStreamingReplication.setUp(nodes, a.id(), settings.mode(), settings.startTimeout());
    createDatabase(nodes.get(a.id()));
    for (LocalTopology.Region region : topology.regions()) {
      PostgresNode node = nodes.get(region.id());
      own("postgres-" + region.id(), ProcessHandle.of(node.pid()).orElseThrow());
      endpoints.put(region.id() + ".postgres", node.jdbcUrl(DATABASE));
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
    own("knotd", ProcessHandle.of(server.pid()).orElseThrow());
    endpoints.put(
        "dns", server.address().getAddress().getHostAddress() + ":" + server.address().getPort());
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
    String internal = region.internalAddress().getHostAddress();
    Map<String, String> env = new LinkedHashMap<>();
    env.put("TDR_REGION", region.id().value());
    env.put("TDR_HTTP_HOST", region.publicAddress().getHostAddress());
    env.put("TDR_HTTP_PORT", Integer.toString(port));
    env.put("TDR_DB_URL", "jdbc:postgresql://" + internal + ":" + node.port() + "/" + DATABASE);
    env.put("TDR_DB_USER", DB_USER);
    env.put("TDR_SESSIONS_TABLE", settings.sessionsTable());
    env.put(
        "TDR_DYNAMODB_ENDPOINT",
        "http://" + internal + ":" + sessionStores.get(region.id()).port());
    env.put("TDR_AWS_REGION", AWS_REGION);
    // The write lease in the control store is the fence, reached over the region's own (cuttable)
    // path, with the TTL and margin the local orchestrator grants it with.
    OrchestratorConfig lease = OrchestratorConfig.localBuilder().build();
    env.put("TDR_CONTROL_TABLE", LocalOrchestration.CONTROL_TABLE);
    env.put("TDR_CONTROL_ENDPOINT", controlStoreEndpointFrom(region.id()).toString());
    env.put("TDR_CONTROL_REGION", AWS_REGION);
    env.put("TDR_WRITE_LEASE_TTL", lease.writeLeaseTtl().toMillis() + "ms");
    env.put("TDR_WRITE_LEASE_SAFETY_MARGIN", lease.writeLeaseSafetyMargin().toMillis() + "ms");
    env.put("AWS_ACCESS_KEY_ID", "local");
    env.put("AWS_SECRET_ACCESS_KEY", "local");
    synchronized (this) {
      serviceEnvironments.put(region.id(), Map.copyOf(env));
      servicePorts.put(region.id(), port);
    }
    endpoints.put(region.id() + ".service", serviceEndpoint(region.id()).toString());
    launchService(region.id());
  }

  private void launchService(RegionId region) {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String name = "service-" + region;
    ManagedProcess service =
        ManagedProcess.start(
            name,
            List.of(java, "-Xmx256m", "-XX:+UseSerialGC", "-jar", settings.serviceJar().toString()),
            serviceEnvironments.get(region),
            settings.runDir(),
            runDirectory.logFile(name));
    register(() -> service.stop(Duration.ofSeconds(10)));
    synchronized (this) {
      services.put(region, service);
    }
    own(name, service.handle());
    awaitHealthy(service, serviceEndpoint(region).resolve("/health"));
  }

  /** SIGKILL to the region's trading service: a crash, for drills. Idempotent. */
  public void killService(RegionId region) {
    ManagedProcess service = services.get(region);
    if (service != null && service.isAlive()) {
      service.kill9();
    }
  }

  /** Stops the region's trading service (SIGTERM, then SIGKILL). Idempotent. */
  public void stopService(RegionId region) {
    ManagedProcess service = services.get(region);
    if (service != null) {
      service.stop(Duration.ofSeconds(10));
    }
  }

  /**
   * Starts the region's trading service again (same port and settings) and waits until it answers
   * its health check. Does nothing when it runs.
   */
  public void restartService(RegionId region) {
    ManagedProcess service = services.get(region);
    if (service == null) {
      throw new IllegalArgumentException("no service in " + region);
    }
    if (!service.isAlive()) {
      launchService(region);
      writeState();
    }
  }

  /** Whether the region's trading service process runs. */
  public boolean serviceRunning(RegionId region) {
    ManagedProcess service = services.get(region);
    return service != null && service.isAlive();
  }

  private void awaitHealthy(ManagedProcess service, URI health) {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    long deadline = System.nanoTime() + settings.startTimeout().toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException(
            service.name()
                + " exited with "
                + service.exitValue()
                + "; log "
                + service.logFile()
                + ":\n"
                + service.tail());
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
        throw new IllegalStateException("interrupted while waiting for " + service.name(), e);
      }
      pause(Duration.ofMillis(100));
    }
    throw new IllegalStateException(
        service.name()
            + " not healthy at "
            + health
            + " after "
            + settings.startTimeout()
            + " ("
            + last
            + "); log "
            + service.logFile());
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
        .endpointOverride(controlStore.endpoint())
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

  private synchronized void own(String name, ProcessHandle handle) {
    // A restarted part replaces its earlier, dead entry.
    owned.removeIf(p -> p.name().equals(name));
    // A process that already exited has no start time and nothing left to stop: its own start
    // check reports the failure.
    handle
        .info()
        .startInstant()
        .ifPresent(startedAt -> owned.add(new OwnedProcess(name, handle.pid(), startedAt)));
    writeState();
  }

  private synchronized void writeState() {
    new LocalState(OwnedProcess.of("supervisor", ProcessHandle.current()), owned, endpoints)
        .write(settings.runDir());
  }

  private void step(String what) {
    progress.println("starting " + what);
  }

  public LocalRegionsSettings settings() {
    return settings;
  }

  public PostgresStreamingReplication replication() {
    return replication;
  }

  public DnsTrafficRouter router() {
    return router;
  }

  public KnotDnsServer dns() {
    return dns;
  }

  public DynamoDbSessionReplicator sessionReplicator() {
    return replicator;
  }

  public URI controlStoreEndpoint() {
    return controlStore.endpoint();
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
            new NetworkPartition.Endpoint(face, sessionStores.get(region).port()),
            new NetworkPartition.Endpoint(r.controlPathAddress(), controlStore.port())),
        r.cidr());
  }

  /** The control store endpoint as seen from inside {@code region} (its cuttable path). */
  public URI controlStoreEndpointFrom(RegionId region) {
    InetSocketAddress path =
        new InetSocketAddress(
            settings.topology().region(region).controlPathAddress(), controlStore.port());
    return URI.create("http://" + path.getAddress().getHostAddress() + ":" + path.getPort());
  }

  private String partitionName() {
    // One partition table per run directory, so a crashed run's table can be found again.
    return "p" + Integer.toHexString(settings.runDir().toString().hashCode() & 0x7fff_ffff);
  }

  /** Stops everything in reverse start order. Idempotent. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    while (!started.isEmpty()) {
      AutoCloseable part = started.pop();
      try {
        part.close();
      } catch (Exception e) {
        progress.println("warning: stopping " + part + " failed: " + e.getMessage());
      }
    }
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
