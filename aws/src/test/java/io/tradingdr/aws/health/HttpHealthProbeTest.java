package io.tradingdr.aws.health;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.region.RegionId;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HttpHealthProbeTest {

  static final RegionId UP = RegionId.of("region-a");
  static final RegionId DEGRADED = RegionId.of("region-b");
  static final RegionId SLOW = RegionId.of("region-c");
  static final RegionId DOWN = RegionId.of("region-d");

  private HttpServer server;
  private ExecutorService executor;
  private HttpHealthProbe probe;
  private HttpHealthProbe impatientProbe;

  @BeforeEach
  void setUp() throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    executor = Executors.newCachedThreadPool();
    server.setExecutor(executor);
    server.createContext(
        "/a/health/ready", ex -> answer(ex, 200, "{\"database\":\"writable\"}", 0));
    server.createContext(
        "/b/health/ready", ex -> answer(ex, 503, "{\"database\":\"read-only\"}", 0));
    server.createContext("/c/health/ready", ex -> answer(ex, 200, "{}", 3000));
    server.start();
    String base = "http://127.0.0.1:" + server.getAddress().getPort();
    int closed;
    try (ServerSocket s = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
      closed = s.getLocalPort();
    }
    probe =
        new HttpHealthProbe(
            "entry-point",
            Map.of(
                UP, URI.create(base + "/a"),
                DEGRADED, URI.create(base + "/b/"),
                DOWN, URI.create("http://127.0.0.1:" + closed)),
            HttpHealthProbe.DEFAULT_PATH,
            Duration.ofSeconds(5),
            Clock.systemUTC());
    impatientProbe =
        new HttpHealthProbe(
            "entry-point",
            Map.of(SLOW, URI.create(base + "/c")),
            HttpHealthProbe.DEFAULT_PATH,
            Duration.ofMillis(300),
            Clock.systemUTC());
  }

  @AfterEach
  void tearDown() {
    server.stop(0);
    executor.shutdownNow();
  }

  private static void answer(
      com.sun.net.httpserver.HttpExchange ex, int status, String body, long delayMs) {
    try (ex) {
      if (delayMs > 0) {
        Thread.sleep(delayMs);
      }
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      ex.sendResponseHeaders(status, bytes.length);
      try (OutputStream os = ex.getResponseBody()) {
        os.write(bytes);
      }
    } catch (Exception clientGone) {
      // The probe timed out and went away.
    }
  }

  @Test
  void probe_isHealthy_on200FromTheReadinessPath() {
    ProbeResult result = probe.probe(UP);

    assertThat(result.healthy()).isTrue();
    assertThat(result.observer()).isEqualTo("entry-point");
    assertThat(result.detail())
        .startsWith("HTTP 200 from http://127.0.0.1:")
        .contains("/a/health/ready")
        .contains("writable");
  }

  @Test
  void probe_isUnhealthy_onA503_withTheBodyInTheDetail() {
    ProbeResult result = probe.probe(DEGRADED);

    assertThat(result.healthy()).isFalse();
    assertThat(result.detail()).contains("HTTP 503").contains("read-only");
  }

  @Test
  void probe_isUnhealthy_onTimeout_withoutThrowing() {
    ProbeResult result = impatientProbe.probe(SLOW);

    assertThat(result.healthy()).isFalse();
    assertThat(result.detail()).startsWith("timeout after PT0.3S");
  }

  @Test
  void probe_isUnhealthy_whenNothingListens() {
    ProbeResult result = probe.probe(DOWN);

    assertThat(result.healthy()).isFalse();
    assertThat(result.detail()).startsWith("no answer from");
  }
}
