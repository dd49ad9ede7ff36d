package io.tradingdr.local.dns;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.RouteMode;
import io.tradingdr.core.port.RoutingState;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DnsTrafficRouterTest {

  private static final String ZONE = "trading.local.";
  private static final String NAME = "api.trading.local.";
  private static final RegionId A = RegionId.of("region-a");
  private static final RegionId B = RegionId.of("region-b");
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  @TempDir static Path dir;
  private static KnotDnsServer server;
  private static InetAddress addressA;
  private static InetAddress addressB;

  @BeforeAll
  static void startKnot() throws Exception {
    addressA = InetAddress.getByName("127.0.1.1");
    addressB = InetAddress.getByName("127.0.2.1");
    server =
        KnotDnsServer.start(
            new KnotDnsServer.Settings(
                dir.resolve("knot"),
                ZONE,
                InetAddress.getLoopbackAddress(),
                0,
                Map.of(NAME, addressA),
                Duration.ofSeconds(60)),
            TIMEOUT);
  }

  @AfterAll
  static void stopKnot() {
    server.close();
    assertThat(server.isAlive()).isFalse();
  }

  private DnsTrafficRouter router(Duration ttl) {
    return new DnsTrafficRouter(
        server.address(), ZONE, NAME, server.updateKey(), Map.of(A, addressA, B, addressB), ttl);
  }

  @BeforeEach
  void routeToA() {
    router(Duration.ofSeconds(60)).routeTo(A, RouteMode.PLANNED, TIMEOUT);
  }

  @Test
  void current_reportsTheRegionTheRecordPointsAt() {
    RoutingState state = router(Duration.ofSeconds(60)).current();

    assertThat(state.active()).contains(A);
    assertThat(state.weights()).isEqualTo(Map.of(A, 100, B, 0));
    assertThat(state.detail()).contains(NAME).contains("127.0.1.1");
  }

  @Test
  void routeTo_replacesTheRecordWithTheConfiguredTtl_andTheSerialMoves() {
    DnsTrafficRouter router = router(Duration.ofSeconds(1));
    long serialBefore = serialOf(router.current());

    long start = System.nanoTime();
    router.routeTo(B, RouteMode.EMERGENCY, TIMEOUT);
    System.out.println(
        "DNS route change (read, TSIG update, until served) took "
            + (System.nanoTime() - start) / 1_000
            + " us");

    RoutingState after = router.current();
    assertThat(after.active()).contains(B);
    assertThat(after.weights()).isEqualTo(Map.of(A, 0, B, 100));
    assertThat(after.detail()).contains("127.0.2.1").contains("ttl 1 s");
    assertThat(serialOf(after)).isGreaterThan(serialBefore);
  }

  @Test
  void routeTo_isIdempotent_whenTheRecordAlreadyNamesTheRegion() {
    DnsTrafficRouter router = router(Duration.ofSeconds(60));
    long serialBefore = serialOf(router.current());

    router.routeTo(A, RouteMode.PLANNED, TIMEOUT);

    assertThat(serialOf(router.current())).isEqualTo(serialBefore);
  }

  @Test
  void routeTo_isRefused_whenTheTsigKeyIsWrong() {
    DnsTrafficRouter forged =
        new DnsTrafficRouter(
            server.address(),
            ZONE,
            NAME,
            TsigKey.generate(server.updateKey().name()),
            Map.of(A, addressA, B, addressB),
            Duration.ofSeconds(1));

    assertThatThrownBy(() -> forged.routeTo(B, RouteMode.PLANNED, TIMEOUT))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("refused");
    assertThat(forged.current().active()).contains(A);
  }

  @Test
  void current_isUnreachable_whenNoServerAnswers() throws Exception {
    int closedPort;
    try (var socket = new java.net.DatagramSocket(0, InetAddress.getLoopbackAddress())) {
      closedPort = socket.getLocalPort();
    }
    DnsTrafficRouter nowhere =
        new DnsTrafficRouter(
            new InetSocketAddress(InetAddress.getLoopbackAddress(), closedPort),
            ZONE,
            NAME,
            server.updateKey(),
            Map.of(A, addressA, B, addressB),
            Duration.ofSeconds(1));

    assertThatThrownBy(nowhere::current).isInstanceOf(UnreachableException.class);
  }

  @Test
  void routeTo_rejectsAnUnknownRegion_namingTheAllowedOnes() {
    assertThatThrownBy(
            () ->
                router(Duration.ofSeconds(1))
                    .routeTo(RegionId.of("region-c"), RouteMode.PLANNED, TIMEOUT))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("region-c")
        .hasMessageContaining("region-a");
  }

  @Test
  void resolver_keepsTheCachedAnswerForItsTtl_thenSeesTheNewRecord() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
    TtlCachingResolver resolver = new TtlCachingResolver(server.address(), clock, TIMEOUT);
    assertThat(resolver.resolve(NAME).address()).isEqualTo(addressA);

    router(Duration.ofSeconds(60)).routeTo(B, RouteMode.PLANNED, TIMEOUT);
    clock.advance(Duration.ofSeconds(59));
    TtlCachingResolver.Resolution cached = resolver.resolve(NAME);
    clock.advance(Duration.ofSeconds(2));
    TtlCachingResolver.Resolution fresh = resolver.resolve(NAME);

    assertThat(cached.address()).isEqualTo(addressA);
    assertThat(cached.fromCache()).isTrue();
    assertThat(fresh.address()).isEqualTo(addressB);
    assertThat(fresh.fromCache()).isFalse();
  }

  private static long serialOf(RoutingState state) {
    String detail = state.detail();
    return Long.parseLong(detail.substring(detail.lastIndexOf(' ') + 1));
  }

  static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
