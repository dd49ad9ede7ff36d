package io.tradingdr.local.regions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.RouteMode;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.local.db.PostgresStreamingReplication;
import io.tradingdr.local.dns.TtlCachingResolver;
import io.tradingdr.local.net.NetworkPartition;
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
 * module): up, traffic through the DNS name, a route change, a partition, and down. The
 * orchestrator's runs on these regions are exercised by the drill test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalRegionsEndToEndTest {

  private static final RegionId A = RegionId.of("region-a");
  private static final RegionId B = RegionId.of("region-b");

  @TempDir static Path dir;
  private static LocalRegions regions;
  private static List<LocalState.OwnedProcess> processes;
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
