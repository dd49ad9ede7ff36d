package io.tradingdr.local.regions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.RouteMode;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.run.RunKind;
import io.tradingdr.core.run.RunOutcome;
import io.tradingdr.core.run.RunRequest;
import io.tradingdr.core.run.RunResult;
import io.tradingdr.core.run.Sleeper;
import io.tradingdr.local.db.PostgresStreamingReplication;
import io.tradingdr.local.dns.TtlCachingResolver;
import io.tradingdr.local.net.NetworkPartition;
import io.tradingdr.local.orchestration.LocalOrchestration;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole local regions with the real trading service jar (built by the reactor before this
 * module): up, traffic through the DNS name, a route change, a partition, and down.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalRegionsEndToEndTest {

  private static final RegionId A = RegionId.of("region-a");
  private static final RegionId B = RegionId.of("region-b");

  @TempDir static Path dir;
  private static LocalRegions regions;
  private static List<LocalState.OwnedProcess> processes;
  private static LocalOrchestration orchestration;
  private static Orchestrator orchestrator;
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  @BeforeAll
  static void up() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar =
        Path.of(System.getProperty("tdr.service.jar", "../service/target/trading-service.jar"));
    regions =
        LocalRegions.up(
            LocalRegionsSettings.of(
                dir.resolve("run"), PostgresStreamingReplication.Mode.SYNC, jar),
            new PrintWriter(new StringWriter(), true));
    processes = LocalState.read(dir.resolve("run")).orElseThrow().processes();
  }

  @AfterAll
  static void down() {
    if (orchestration != null) {
      orchestration.close();
    }
    if (regions != null) {
      regions.close();
      assertThat(processes).allSatisfy(p -> assertThat(p.live()).as(p.name()).isEmpty());
      assertThat(LocalState.read(dir.resolve("run"))).isEmpty();
    }
  }

  @Test
  @Order(1)
  void up_recordsEveryProcess_andStatusShowsThemRunning() {
    assertThat(processes)
        .extracting(LocalState.OwnedProcess::name)
        .contains(
            "postgres-region-a",
            "postgres-region-b",
            "dynamodb-sessions-region-a",
            "dynamodb-sessions-region-b",
            "dynamodb-control",
            "knotd",
            "service-region-a",
            "service-region-b");
    StringWriter out = new StringWriter();
    assertThat(LocalRegionsControl.status(dir.resolve("run"), new PrintWriter(out, true))).isTrue();
    ReplicationStatus status = regions.replication().status();
    assertThat(status.writer()).contains(A);
    assertThat(status.synchronous()).isTrue();
  }

  @Test
  @Order(2)
  void ordersThroughTheDnsName_reachTheRegionTheRecordNames_andFollowARouteChange()
      throws Exception {
    TtlCachingResolver resolver =
        new TtlCachingResolver(regions.dns().address(), Clock.systemUTC(), Duration.ofSeconds(1));
    String session = createSession(resolver);

    HttpResponse<String> onA = placeOrder(resolver, session, "e2e-1");
    assertThat(onA.statusCode()).isEqualTo(201);
    assertThat(onA.body()).contains("\"region\":\"region-a\"");

    regions.router().routeTo(B, RouteMode.PLANNED, Duration.ofSeconds(5));
    resolver.flush();
    HttpResponse<String> onB = placeOrder(resolver, session, "e2e-2");
    regions.router().routeTo(A, RouteMode.PLANNED, Duration.ofSeconds(5));

    // Region B is the standby under the static fence: it answers, and refuses the write.
    assertThat(onB.statusCode()).isEqualTo(503);
    assertThat(onB.body()).contains("region-b");
  }

  @Test
  @Order(3)
  void partition_cutsTheRegionOffFromOutside_butNotFromItself() throws Exception {
    try (NetworkPartition partition = regions.partition(A)) {
      partition.cut();

      assertThatThrownBy(() -> connect(null, A)).isInstanceOf(SocketTimeoutException.class);
      assertThat(regions.replication().status().writer()).isEmpty();
      try (Socket inside = connect(InetAddress.getByName("127.0.1.2"), A)) {
        assertThat(inside.isConnected()).isTrue();
      }
      try (Socket other = connect(null, B)) {
        assertThat(other.isConnected()).isTrue();
      }
    }
    assertThat(regions.replication().status().writer()).contains(A);
  }

  @Test
  @Order(4)
  void theOrchestrator_switchesOverToB_onTheLocalAdapters() {
    RunResult toB = timed("switchover A->B", RunKind.SWITCHOVER, false);

    assertThat(toB.outcome()).as(toB.reason()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(regions.replication().status().writer()).contains(B);
    assertThat(regions.router().current().active()).contains(B);
  }

  @Test
  @Order(5)
  void failback_switchesBackToA_andLeavesBAsItsStandby() throws Exception {
    awaitReady(A);
    RunResult back = timed("failback B->A", RunKind.FAILBACK, false);

    assertThat(back.outcome()).as(back.reason()).isEqualTo(RunOutcome.COMPLETED);
    ReplicationStatus status = regions.replication().status();
    assertThat(status.writer()).contains(A);
    assertThat(status.standby()).isEqualTo(B);
    assertThat(status.standbyWatermark()).isPresent();
    assertThat(regions.router().current().active()).contains(A);
  }

  @Test
  @Order(6)
  void afterKillingThePrimaryDatabase_failoverPromotesB_andFailbackRejoinsTheCrashedNode()
      throws Exception {
    assertThat(regions.replication().status().lag()).isPresent();
    regions.replication().node(A).kill9();

    RunResult failover = timed("failover after kill -9 of A's database", RunKind.FAILOVER, false);

    assertThat(failover.outcome()).as(failover.reason()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(regions.replication().status().writer()).contains(B);
    assertThat(regions.router().current().active()).contains(B);

    // The crashed database must come back (as B's standby) before A's service is ready, which the
    // failback's health guard asks for; the failback's own rejoin step then finds it done.
    regions.replication().rejoinAsStandby(A, B, Duration.ofSeconds(60));
    awaitReady(A);
    RunResult back = timed("failback after the crash", RunKind.FAILBACK, false);

    assertThat(back.outcome()).as(back.reason()).isEqualTo(RunOutcome.COMPLETED);
    assertThat(regions.replication().status().writer()).contains(A);
    assertThat(regions.replication().status().standbyWatermark()).isPresent();
  }

  /** What an operator does before a failback: waits until the home region's service is ready. */
  private static void awaitReady(RegionId region) throws Exception {
    URI ready = regions.serviceEndpoint(region).resolve("/health/ready");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      try {
        if (HTTP.send(
                    HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).GET().build(),
                    HttpResponse.BodyHandlers.discarding())
                .statusCode()
            == 200) {
          return;
        }
      } catch (IOException e) {
        // Not answering yet.
      }
      Thread.sleep(200);
    }
    throw new AssertionError(region + " never became ready at " + ready);
  }

  private static RunResult timed(String what, RunKind kind, boolean force) {
    long start = System.nanoTime();
    RunResult result = orchestrator().run(RunRequest.operator(kind, force, "e2e-test"));
    System.out.println(
        what + " took " + (System.nanoTime() - start) / 1_000_000 + " ms: " + result.reason());
    return result;
  }

  private static synchronized Orchestrator orchestrator() {
    if (orchestrator == null) {
      orchestration =
          LocalOrchestration.open(regions, Clock.systemUTC(), new PrintWriter(new StringWriter()));
      orchestrator =
          new Orchestrator(
              OrchestratorConfig.localBuilder().minFailoverInterval(Duration.ofSeconds(1)).build(),
              orchestration.ports(),
              Clock.systemUTC(),
              Sleeper.threadSleep(),
              "e2e-test");
      orchestrator.bootstrapWriteLease(A);
    }
    return orchestrator;
  }

  private static Socket connect(InetAddress source, RegionId region) throws IOException {
    URI endpoint = regions.serviceEndpoint(region);
    Socket socket = new Socket();
    if (source != null) {
      socket.bind(new InetSocketAddress(source, 0));
    }
    try {
      socket.connect(new InetSocketAddress(endpoint.getHost(), endpoint.getPort()), 1_000);
    } catch (IOException e) {
      socket.close();
      throw e;
    }
    return socket;
  }

  private static URI viaDns(TtlCachingResolver resolver, String path) {
    InetAddress address = resolver.resolve(regions.settings().serviceHost()).address();
    return URI.create("http://" + address.getHostAddress() + ":" + regions.servicePort() + path);
  }

  private static String createSession(TtlCachingResolver resolver) throws Exception {
    HttpResponse<String> response =
        HTTP.send(
            HttpRequest.newBuilder(viaDns(resolver, "/sessions"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"accountId\":\"acct-e2e\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    Matcher id = Pattern.compile("\"sessionId\":\"([^\"]+)\"").matcher(response.body());
    assertThat(id.find()).isTrue();
    return id.group(1);
  }

  private static HttpResponse<String> placeOrder(
      TtlCachingResolver resolver, String session, String clientOrderId) throws Exception {
    String body =
        "{\"clientOrderId\":\""
            + clientOrderId
            + "\",\"accountId\":\"acct-e2e\",\"symbol\":\"ACME\",\"side\":\"BUY\","
            + "\"type\":\"MARKET\",\"quantity\":10}";
    // The session was created in region A; give its replication a moment before region B uses it.
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (true) {
      HttpResponse<String> response =
          HTTP.send(
              HttpRequest.newBuilder(viaDns(resolver, "/orders"))
                  .header("Content-Type", "application/json")
                  .header("X-Session-Id", session)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 401 || System.nanoTime() > deadline) {
        return response;
      }
      Thread.sleep(50);
    }
  }
}
