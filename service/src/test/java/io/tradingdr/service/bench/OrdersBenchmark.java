package io.tradingdr.service.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.procs.DynamoDbLocalProcess;
import io.tradingdr.procs.FreePorts;
import io.tradingdr.procs.ManagedProcess;
import io.tradingdr.procs.PostgresNode;
import io.tradingdr.procs.RunDirectory;
import io.tradingdr.service.api.Json;
import io.tradingdr.service.sessions.DynamoDbSessionStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * Benchmark (not a test): POST /orders through the shaded service jar (real HTTP, session lookup in
 * DynamoDB Local, fence, one INSERT) beside a raw JDBC insert of the same row, at concurrency 8 and
 * 32, on the same PostgreSQL. Starts and stops everything it uses, by PID. A last row measures the
 * per-order session lookup against DynamoDB Local alone, to show where the time goes.
 *
 * <p>Usage: {@code scripts/bench-orders [--seconds N]} (default 10 s per cell).
 */
public final class OrdersBenchmark {

  private static final AtomicLong SEQUENCE = new AtomicLong();

  private OrdersBenchmark() {}

  /** One measured cell. */
  record Cell(
      String name, int concurrency, long ok, long errors, double seconds, long[] latenciesNanos) {
    double throughput() {
      return ok / seconds;
    }

    double percentileMillis(double p) {
      if (latenciesNanos.length == 0) {
        return Double.NaN;
      }
      int index = (int) Math.ceil(p * latenciesNanos.length) - 1;
      return latenciesNanos[Math.max(0, Math.min(index, latenciesNanos.length - 1))] / 1e6;
    }
  }

  interface Operation {
    /** Performs one operation; returns true on success. */
    boolean run(int worker) throws Exception;
  }

  public static void main(String[] args) throws Exception {
    int seconds = 10;
    Path jar = Path.of("service/target/trading-service.jar");
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--seconds" -> seconds = Integer.parseInt(args[++i]);
        case "--jar" -> jar = Path.of(args[++i]);
        default -> {
          System.err.println("unknown argument " + args[i] + "; allowed: --seconds N, --jar PATH");
          System.exit(2);
        }
      }
    }
    if (!Files.isRegularFile(jar)) {
      System.err.println("no service jar at " + jar + ": run mvn -pl service -am package first");
      System.exit(2);
    }
    RunDirectory run = RunDirectory.temporary("bench-orders-").deleteOnExit();
    System.out.println("run directory (deleted at exit): " + run);
    try (PostgresNode pg =
            PostgresNode.builder()
                .dataDir(run.resolve("pg"))
                .runDirectory(run)
                .clusterName("bench")
                .setting("max_connections", "200")
                .build()
                .initdb()
                .start();
        DynamoDbLocalProcess ddb =
            DynamoDbLocalProcess.builder().name("bench-ddb").runDirectory(run).build().start()) {
      pg.createDatabase("bench");
      int port = FreePorts.pick();
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      try (ManagedProcess service =
          ManagedProcess.start(
              "trading-service",
              List.of(java, "-Xmx512m", "-jar", jar.toAbsolutePath().toString()),
              Map.of(
                  "TDR_REGION", "bench",
                  "TDR_HTTP_HOST", "127.0.0.1",
                  "TDR_HTTP_PORT", Integer.toString(port),
                  "TDR_DB_URL", pg.jdbcUrl("bench"),
                  "TDR_DB_USER", pg.superuser(),
                  "TDR_DB_POOL_SIZE", "32",
                  "TDR_DYNAMODB_ENDPOINT", ddb.endpoint().toString(),
                  "TDR_WRITE_ROLE", "WRITER",
                  "TDR_WRITE_EPOCH", "1",
                  "TDR_LOG_LEVEL", "WARN"),
              run.root(),
              run.logFile("trading-service"))) {
        URI base = URI.create("http://127.0.0.1:" + port);
        awaitHealthy(base, service);
        List<Cell> cells = new ArrayList<>();
        List<Cell> extra = new ArrayList<>();
        String[] sessions = sessions(base, 32);
        HttpClient[] clients = new HttpClient[32];
        for (int i = 0; i < clients.length; i++) {
          clients[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        }
        Operation http = worker -> postOrder(clients[worker], base, sessions[worker], worker);
        System.out.println("warm-up 5 s ...");
        measure("warm-up", 8, Duration.ofSeconds(5), http);
        Connection[] connections = new Connection[32];
        for (int i = 0; i < connections.length; i++) {
          connections[i] = DriverManager.getConnection(pg.jdbcUrl("bench"), pg.superuser(), "");
        }
        try {
          Operation jdbc = worker -> insertRow(connections[worker], worker);
          measure("warm-up", 8, Duration.ofSeconds(2), jdbc);
          for (int concurrency : new int[] {8, 32}) {
            cells.add(measure("POST /orders", concurrency, Duration.ofSeconds(seconds), http));
            cells.add(measure("raw JDBC insert", concurrency, Duration.ofSeconds(seconds), jdbc));
          }
          // Not part of the ratio: how fast the session store alone answers the per-order lookup.
          try (DynamoDbClient client =
              DynamoDbClient.builder()
                  .endpointOverride(ddb.endpoint())
                  .region(Region.US_EAST_1)
                  .httpClient(UrlConnectionHttpClient.create())
                  .credentialsProvider(
                      StaticCredentialsProvider.create(
                          AwsBasicCredentials.create("local", "local")))
                  .build()) {
            DynamoDbSessionStore store =
                new DynamoDbSessionStore(client, "trading-sessions", "bench", Clock.systemUTC());
            Operation lookup = worker -> store.find(sessions[worker]).isPresent();
            extra.add(
                measure("session lookup", 8, Duration.ofSeconds(Math.max(2, seconds / 2)), lookup));
          }
        } finally {
          for (Connection c : connections) {
            c.close();
          }
        }
        print(cells, extra);
      }
    }
  }

  private static void awaitHealthy(URI base, ManagedProcess service) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      if (!service.isAlive()) {
        throw new IllegalStateException("service exited:\n" + service.tail());
      }
      try {
        HttpResponse<String> r =
            client.send(
                HttpRequest.newBuilder(base.resolve("/health/ready")).build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
      } catch (IOException e) {
        // not up yet
      }
      Thread.sleep(100);
    }
    throw new IllegalStateException("service not ready in 60 s:\n" + service.tail());
  }

  private static String[] sessions(URI base, int count) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    String[] sessions = new String[count];
    for (int i = 0; i < count; i++) {
      HttpResponse<String> r =
          client.send(
              HttpRequest.newBuilder(base.resolve("/sessions"))
                  .header("Content-Type", "application/json")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"accountId\":\"bench-" + i + "\"}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = Json.mapper().readTree(r.body());
      sessions[i] = body.get("sessionId").asText();
    }
    return sessions;
  }

  private static String orderBody(String clientOrderId, int worker) {
    return "{\"clientOrderId\":\""
        + clientOrderId
        + "\",\"accountId\":\"bench-"
        + worker
        + "\",\"symbol\":\"AAPL\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":100,"
        + "\"limitPrice\":187.25}";
  }

  private static boolean postOrder(HttpClient client, URI base, String session, int worker)
      throws Exception {
    String id = "h-" + SEQUENCE.incrementAndGet();
    HttpResponse<Void> r =
        client.send(
            HttpRequest.newBuilder(base.resolve("/orders"))
                .header("Content-Type", "application/json")
                .header("X-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString(orderBody(id, worker)))
                .build(),
            HttpResponse.BodyHandlers.discarding());
    return r.statusCode() == 201;
  }

  /** The same row the service writes, with the same request fingerprint work. */
  private static boolean insertRow(Connection c, int worker) throws Exception {
    String id = "j-" + SEQUENCE.incrementAndGet();
    String hash =
        HexFormat.of()
            .formatHex(
                MessageDigest.getInstance("SHA-256")
                    .digest(
                        orderBody(id, worker).getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    try (PreparedStatement s =
        c.prepareStatement(
            "insert into orders (order_id, client_order_id, account_id, symbol, side, order_type,"
                + " quantity, limit_price, status, region, epoch, request_hash)"
                + " values (?, ?, ?, 'AAPL', 'BUY', 'LIMIT', 100, 187.25, 'NEW', 'bench', 1, ?)"
                + " on conflict (account_id, client_order_id) do nothing")) {
      s.setObject(1, UUID.randomUUID());
      s.setString(2, id);
      s.setString(3, "bench-" + worker);
      s.setString(4, hash);
      return s.executeUpdate() == 1;
    }
  }

  private static Cell measure(String name, int concurrency, Duration duration, Operation op)
      throws InterruptedException {
    long[][] latencies = new long[concurrency][];
    long[] ok = new long[concurrency];
    long[] errors = new long[concurrency];
    CountDownLatch start = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    long[] window = new long[2];
    for (int w = 0; w < concurrency; w++) {
      int worker = w;
      Thread t =
          new Thread(
              () -> {
                long[] mine = new long[1 << 16];
                int n = 0;
                try {
                  start.await();
                } catch (InterruptedException e) {
                  return;
                }
                long end = window[1];
                while (System.nanoTime() < end) {
                  long t0 = System.nanoTime();
                  boolean success;
                  try {
                    success = op.run(worker);
                  } catch (Exception e) {
                    success = false;
                  }
                  long elapsed = System.nanoTime() - t0;
                  if (success) {
                    if (n == mine.length) {
                      mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = elapsed;
                    ok[worker]++;
                  } else {
                    errors[worker]++;
                  }
                }
                latencies[worker] = Arrays.copyOf(mine, n);
              },
              "bench-" + w);
      threads.add(t);
      t.start();
    }
    window[0] = System.nanoTime();
    window[1] = window[0] + duration.toNanos();
    start.countDown();
    for (Thread t : threads) {
      t.join();
    }
    double seconds = (System.nanoTime() - window[0]) / 1e9;
    long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
    return new Cell(
        name, concurrency, Arrays.stream(ok).sum(), Arrays.stream(errors).sum(), seconds, all);
  }

  private static void print(List<Cell> cells, List<Cell> extra) {
    System.out.println();
    System.out.println(
        String.format(
            Locale.ROOT,
            "| %-16s | %11s | %8s | %9s | %8s | %8s | %6s |",
            "operation",
            "concurrency",
            "ok",
            "ops/s",
            "p50 ms",
            "p99 ms",
            "errors"));
    System.out.println(
        "|------------------|-------------|----------|-----------|----------|----------|--------|");
    for (Cell c : java.util.stream.Stream.concat(cells.stream(), extra.stream()).toList()) {
      System.out.println(
          String.format(
              Locale.ROOT,
              "| %-16s | %11d | %8d | %9.0f | %8.2f | %8.2f | %6d |",
              c.name(),
              c.concurrency(),
              c.ok(),
              c.throughput(),
              c.percentileMillis(0.50),
              c.percentileMillis(0.99),
              c.errors()));
    }
    System.out.println();
    for (int i = 0; i + 1 < cells.size(); i += 2) {
      Cell http = cells.get(i);
      Cell jdbc = cells.get(i + 1);
      System.out.println(
          String.format(
              Locale.ROOT,
              "concurrency %2d: POST /orders reaches %.2f of raw JDBC insert throughput (%.0f vs %.0f ops/s); p50 %.2f vs %.2f ms",
              http.concurrency(),
              http.throughput() / jdbc.throughput(),
              http.throughput(),
              jdbc.throughput(),
              http.percentileMillis(0.5),
              jdbc.percentileMillis(0.5)));
    }
  }
}
