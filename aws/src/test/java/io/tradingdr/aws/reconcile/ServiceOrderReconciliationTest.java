package io.tradingdr.aws.reconcile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.OrderReconciliation.ReplayOutcome;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Against a stub of the trading service API on 127.0.0.1, recording each request. */
class ServiceOrderReconciliationTest {

  private static final RegionId B = RegionId.of("region-b");
  private static final String BODY =
      "{\"clientOrderId\":\"c-1\",\"accountId\":\"acc\",\"symbol\":\"ABC\",\"side\":\"BUY\","
          + "\"type\":\"MARKET\",\"quantity\":5}";
  private static final CommittedOrder LOST =
      new CommittedOrder("o-old", "c-1", "acc", Instant.EPOCH, 3, BODY);

  private final List<String> requests = new CopyOnWriteArrayList<>();
  private HttpServer server;
  private volatile int orderStatus = 201;
  private ServiceOrderReconciliation reconciliation;

  @BeforeEach
  void startStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String session = exchange.getRequestHeaders().getFirst("X-Session-Id");
          requests.add(
              exchange.getRequestMethod()
                  + " "
                  + exchange.getRequestURI().getPath()
                  + (session == null ? "" : " session=" + session)
                  + " "
                  + body);
          String path = exchange.getRequestURI().getPath();
          if (path.equals("/sessions")) {
            answer(exchange, 201, "{\"sessionId\":\"s-1\",\"accountId\":\"acc\"}");
          } else if (path.equals("/orders")) {
            answer(exchange, orderStatus, "{\"orderId\":\"o-new\",\"status\":\"NEW\"}");
          } else {
            answer(exchange, 200, "{\"orderId\":\"o-new\",\"status\":\"CANCELLED\"}");
          }
        });
    server.start();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    reconciliation = new ServiceOrderReconciliation(region -> base, Duration.ofSeconds(2));
  }

  private static void answer(HttpExchange exchange, int status, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @AfterEach
  void stopStub() {
    server.stop(0);
  }

  @Test
  void replay_placesTheOrderAsSubmitted_inASessionOfItsAccount() {
    ReplayOutcome outcome = reconciliation.replay(B, LOST);

    assertThat(outcome).isEqualTo(new ReplayOutcome("o-new", true));
    assertThat(requests)
        .containsExactly(
            "POST /sessions {\"accountId\":\"acc\"}", "POST /orders session=s-1 " + BODY);
  }

  @Test
  void replay_reportsNotCreated_whenTheWriterAlreadyHasIt() {
    orderStatus = 200;

    assertThat(reconciliation.replay(B, LOST).created()).isFalse();
  }

  @Test
  void markCancelled_placesThenCancelsTheOrder() {
    reconciliation.markCancelled(B, LOST, "lost in failover");

    assertThat(requests).last().asString().startsWith("POST /orders/o-new/cancel session=s-1");
  }

  @Test
  void replay_isRefused_onA4xx_andUnreachable_onA5xx() {
    orderStatus = 422;
    assertThatThrownBy(() -> reconciliation.replay(B, LOST))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("422");

    orderStatus = 503;
    assertThatThrownBy(() -> reconciliation.replay(B, LOST))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("503");
  }
}
