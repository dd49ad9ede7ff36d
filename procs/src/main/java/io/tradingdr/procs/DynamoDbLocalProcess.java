package io.tradingdr.procs;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * DynamoDB Local ({@code com.amazonaws:DynamoDBLocal}) in a child JVM, in memory, telemetry off.
 *
 * <p>The child runs on DynamoDB Local's own classpath, never the caller's: it brings Jetty 12, AWS
 * SDK v1 and v2 and log4j, which would clash with the service's. The procs build records that
 * classpath (DynamoDBLocal is a {@code provided} dependency of procs, resolved into the local Maven
 * repository) in the resource {@value #CLASSPATH_RESOURCE}, which travels inside the procs jar and
 * any shaded jar that contains procs. It is looked up at run time in this order:
 *
 * <ol>
 *   <li>system property {@value #CLASSPATH_PROPERTY},
 *   <li>environment variable {@value #CLASSPATH_ENV},
 *   <li>the resource {@value #CLASSPATH_RESOURCE}.
 * </ol>
 *
 * <p>DynamoDB Local has no bind-address option: it listens on every interface. {@link #endpoint()}
 * uses the host given here (default 127.0.0.1). {@code -sharedDb} is on by default so that every
 * client sees the same tables whatever its credentials and region.
 */
public final class DynamoDbLocalProcess extends LoopbackServer {

  public static final String CLASSPATH_PROPERTY = "tdr.dynamodb-local.classpath";
  public static final String CLASSPATH_ENV = "TDR_DYNAMODB_LOCAL_CLASSPATH";
  public static final String CLASSPATH_RESOURCE = "/io/tradingdr/procs/dynamodb-local.classpath";

  private static final String MAIN_CLASS =
      "com.amazonaws.services.dynamodbv2.local.main.ServerRunner";
  private static final AtomicInteger INSTANCES = new AtomicInteger();

  private final String name;
  private final RunDirectory runDirectory;
  private final Path java;
  private final String maxHeap;
  private final boolean sharedDb;
  private final Duration startTimeout;
  private ManagedProcess process;

  private DynamoDbLocalProcess(Builder b) {
    super(b.host, b.portOrFree());
    this.name = b.name;
    this.runDirectory =
        b.runDirectory != null ? b.runDirectory : RunDirectory.temporary("ddb-").deleteOnExit();
    this.java = b.java;
    this.maxHeap = b.maxHeap;
    this.sharedDb = b.sharedDb;
    this.startTimeout = b.startTimeout;
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Starts the child JVM and waits until it answers HTTP. */
  public synchronized DynamoDbLocalProcess start() {
    if (isRunning()) {
      throw new IllegalStateException(this + " is already running");
    }
    List<String> command =
        new ArrayList<>(
            List.of(
                java.toString(),
                "-Xmx" + maxHeap,
                "-XX:+UseSerialGC",
                "-cp",
                classpath(),
                MAIN_CLASS,
                "-inMemory",
                "-port",
                Integer.toString(port),
                "-disableTelemetry"));
    if (sharedDb) {
      command.add("-sharedDb");
    }
    process =
        ManagedProcess.start(
            name,
            command,
            Map.of("DDB_LOCAL_TELEMETRY", "0"),
            runDirectory.root(),
            runDirectory.logFile(name));
    try {
      awaitAnswering();
    } catch (RuntimeException e) {
      process.stop(Duration.ofSeconds(2));
      throw e;
    }
    return this;
  }

  private void awaitAnswering() {
    HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
    HttpRequest probe =
        HttpRequest.newBuilder(endpoint()).timeout(Duration.ofSeconds(2)).GET().build();
    long deadline = System.nanoTime() + startTimeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw process.exitedDuringStartup();
      }
      try {
        // Any HTTP answer (DynamoDB Local returns 400 to a bare GET) means it is serving.
        client.send(probe, HttpResponse.BodyHandlers.discarding());
        return;
      } catch (IOException e) {
        ManagedProcess.pause(Duration.ofMillis(50));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new ProcessFailedException("interrupted while starting " + name, e);
      }
    }
    throw process.notReadyWithin("answer", startTimeout);
  }

  /**
   * DynamoDB Local's own classpath, from the property, the environment or the build's resource.
   *
   * @throws IllegalStateException naming the missing source or jar
   */
  public static String classpath() {
    String configured = System.getProperty(CLASSPATH_PROPERTY);
    String source = "system property " + CLASSPATH_PROPERTY;
    if (configured == null || configured.isBlank()) {
      configured = System.getenv(CLASSPATH_ENV);
      source = "environment variable " + CLASSPATH_ENV;
    }
    if (configured == null || configured.isBlank()) {
      configured = readResource();
      source = "resource " + CLASSPATH_RESOURCE;
    }
    List<String> jars =
        Arrays.stream(configured.trim().split(File.pathSeparator))
            .filter(entry -> entry.endsWith(".jar"))
            .toList();
    for (String jar : jars) {
      if (!Files.isRegularFile(Path.of(jar))) {
        throw new IllegalStateException(
            "DynamoDB Local classpath from "
                + source
                + " names a missing jar "
                + jar
                + ": run `mvn -pl procs -am package` to resolve DynamoDBLocal into the local Maven"
                + " repository, or set "
                + CLASSPATH_ENV);
      }
    }
    if (jars.isEmpty()) {
      throw new IllegalStateException("DynamoDB Local classpath from " + source + " is empty");
    }
    return String.join(File.pathSeparator, jars);
  }

  private static String readResource() {
    try (InputStream in = DynamoDbLocalProcess.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(
            "no DynamoDB Local classpath: the resource "
                + CLASSPATH_RESOURCE
                + " is missing (build procs with Maven) and neither "
                + CLASSPATH_PROPERTY
                + " nor "
                + CLASSPATH_ENV
                + " is set");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + CLASSPATH_RESOURCE, e);
    }
  }

  /** Stops the child JVM by its PID. Idempotent. */
  @Override
  public synchronized void stop() {
    if (process != null) {
      process.stop(Duration.ofSeconds(5));
    }
  }

  /** SIGKILL: a crash; the in-memory tables are gone. */
  public synchronized void kill9() {
    if (process != null) {
      process.kill9();
    }
  }

  @Override
  ProcessHandle serving() {
    return process == null ? null : process.handle();
  }

  /** {@code http://host:port}, for the SDK's endpointOverride. */
  public URI endpoint() {
    return URI.create("http://" + host + ":" + port);
  }

  public Path logFile() {
    return runDirectory.logFile(name);
  }

  @Override
  public String toString() {
    return "DynamoDB Local " + name + " on " + host + ":" + port;
  }

  /**
   * Settings of one DynamoDB Local process; all optional. Defaults: host 127.0.0.1, a free port,
   * logs in a fresh temporary run directory deleted when the JVM exits, start timeout 60 s.
   */
  public static final class Builder extends ServerBuilder<Builder> {
    private String name = "dynamodb-local-" + INSTANCES.incrementAndGet();
    private Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    private String maxHeap = "256m";
    private boolean sharedDb = true;

    private Builder() {}

    @Override
    Builder self() {
      return this;
    }

    /** Names the log file {@code logs/<name>.log}. */
    public Builder name(String name) {
      this.name = Objects.requireNonNull(name, "name");
      return this;
    }

    /** The java executable; default this JVM's. */
    public Builder java(Path java) {
      this.java = Objects.requireNonNull(java, "java");
      return this;
    }

    /** -Xmx of the child, e.g. "256m". */
    public Builder maxHeap(String maxHeap) {
      this.maxHeap = Objects.requireNonNull(maxHeap, "maxHeap");
      return this;
    }

    /** -sharedDb: one database for all credentials and regions (default true). */
    public Builder sharedDb(boolean sharedDb) {
      this.sharedDb = sharedDb;
      return this;
    }

    public DynamoDbLocalProcess build() {
      return new DynamoDbLocalProcess(this);
    }
  }
}
