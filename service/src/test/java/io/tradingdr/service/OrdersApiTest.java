package io.tradingdr.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.service.config.OrderStoreKind;
import io.tradingdr.service.orders.Order;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The order API over real HTTP, once per order store (PostgreSQL, MySQL on MariaDB, DynamoDB
 * Local): the same requests, the same answers.
 */
@ParameterizedClass(name = "{0}")
@EnumSource(OrderStoreKind.class)
class OrdersApiTest {

  private static RunningService service;

  @Parameter OrderStoreKind store;

  @BeforeParameterizedClassInvocation
  static void start(OrderStoreKind store) {
    service = RunningService.start(store, Map.of());
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  private static String limitOrder(String clientOrderId, String account, int quantity) {
    return "{\"clientOrderId\":\""
        + clientOrderId
        + "\",\"accountId\":\""
        + account
        + "\",\"symbol\":\"AAPL\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":"
        + quantity
        + ",\"limitPrice\":187.25}";
  }

  @Test
  void postOrder_commitsAndAnswers201_withRegionAndEpoch() {
    String session = service.session("acct-1");

    HttpResponse<String> response =
        service.postJson("/orders", session, limitOrder("c-1", "acct-1", 100));

    assertThat(response.statusCode()).isEqualTo(201);
    JsonNode order = RunningService.json(response);
    assertThat(order.get("status").asText()).isEqualTo("NEW");
    assertThat(order.get("region").asText()).isEqualTo("region-a");
    assertThat(order.get("epoch").asLong()).isEqualTo(7);
    assertThat(order.get("limitPrice").decimalValue()).isEqualByComparingTo("187.25");
    String id = order.get("orderId").asText();
    Order stored = service.orders.find(UUID.fromString(id)).orElseThrow();
    assertThat(stored.region()).isEqualTo("region-a");
    assertThat(stored.epoch()).isEqualTo(7);
    assertThat(response.headers().firstValue("Location")).contains("/orders/" + id);
  }

  @Test
  void postOrder_sameClientOrderIdAndBody_returnsTheSameOrderWith200() {
    String session = service.session("acct-2");
    String body = limitOrder("c-dup", "acct-2", 5);
    String first =
        RunningService.json(service.postJson("/orders", session, body)).get("orderId").asText();

    HttpResponse<String> again =
        service.postJson("/orders", session, body.replace("187.25", "187.2500"));

    assertThat(again.statusCode()).isEqualTo(200);
    assertThat(RunningService.json(again).get("orderId").asText()).isEqualTo(first);
    assertThat(service.countOrders("clientOrderId", "c-dup")).isEqualTo(1);
  }

  @Test
  void postOrder_sameClientOrderIdOtherBody_is409NamingTheField() {
    String session = service.session("acct-3");
    service.postJson("/orders", session, limitOrder("c-x", "acct-3", 5));

    HttpResponse<String> conflict =
        service.postJson("/orders", session, limitOrder("c-x", "acct-3", 6));

    assertThat(conflict.statusCode()).isEqualTo(409);
    assertThat(RunningService.json(conflict).get("field").asText()).isEqualTo("clientOrderId");
  }

  @Test
  void postOrder_marketOrderWithoutPrice_isAccepted() {
    String session = service.session("acct-m");

    HttpResponse<String> response =
        service.postJson(
            "/orders",
            session,
            "{\"clientOrderId\":\"m-1\",\"accountId\":\"acct-m\",\"symbol\":\"MSFT\","
                + "\"side\":\"SELL\",\"type\":\"MARKET\",\"quantity\":1}");

    assertThat(response.statusCode()).isEqualTo(201);
    assertThat(RunningService.json(response).has("limitPrice")).isFalse();
  }

  @Test
  void postOrder_withoutSession_is401_andWithAnotherAccountsSession_is403() {
    String other = service.session("acct-other");

    HttpResponse<String> none = service.postJson("/orders", null, limitOrder("c-a", "acct-9", 1));
    HttpResponse<String> bogus =
        service.postJson("/orders", "not-a-real-session-id-000000", limitOrder("c-a", "acct-9", 1));
    HttpResponse<String> mismatch =
        service.postJson("/orders", other, limitOrder("c-a", "acct-9", 1));

    assertThat(none.statusCode()).isEqualTo(401);
    assertThat(RunningService.json(none).get("field").asText()).isEqualTo("X-Session-Id");
    assertThat(bogus.statusCode()).isEqualTo(401);
    assertThat(mismatch.statusCode()).isEqualTo(403);
    assertThat(RunningService.json(mismatch).get("field").asText()).isEqualTo("accountId");
    assertThat(service.countOrders("accountId", "acct-9")).isZero();
  }

  @Test
  void deleteSession_endsIt() {
    String session = service.session("acct-del");

    HttpResponse<String> deleted =
        service.send(HttpRequest.newBuilder(service.uri("/sessions/" + session)).DELETE());

    assertThat(deleted.statusCode()).isEqualTo(204);
    assertThat(service.postJson("/orders", session, limitOrder("d-1", "acct-del", 1)).statusCode())
        .isEqualTo(401);
  }

  @Test
  void getOrder_returnsItToItsAccount_and404ToOthers() {
    String session = service.session("acct-4");
    String id =
        RunningService.json(service.postJson("/orders", session, limitOrder("g-1", "acct-4", 3)))
            .get("orderId")
            .asText();

    HttpResponse<String> mine = service.get("/orders/" + id, session);
    HttpResponse<String> theirs = service.get("/orders/" + id, service.session("acct-5"));
    HttpResponse<String> malformed = service.get("/orders/not-a-uuid", session);

    assertThat(mine.statusCode()).isEqualTo(200);
    assertThat(RunningService.json(mine).get("quantity").asLong()).isEqualTo(3);
    assertThat(theirs.statusCode()).isEqualTo(404);
    assertThat(malformed.statusCode()).isEqualTo(400);
    assertThat(RunningService.json(malformed).get("field").asText()).isEqualTo("orderId");
  }

  @Test
  void listOrders_pagesNewestFirstWithACursor() {
    String session = service.session("acct-page");
    for (int i = 1; i <= 5; i++) {
      service.postJson("/orders", session, limitOrder("p-" + i, "acct-page", i));
    }

    List<Long> quantities = new ArrayList<>();
    String cursor = null;
    int pages = 0;
    do {
      HttpResponse<String> page =
          service.get(
              "/orders?accountId=acct-page&limit=2" + (cursor == null ? "" : "&cursor=" + cursor),
              session);
      assertThat(page.statusCode()).isEqualTo(200);
      JsonNode body = RunningService.json(page);
      body.get("orders").forEach(o -> quantities.add(o.get("quantity").asLong()));
      cursor = body.get("nextCursor").isNull() ? null : body.get("nextCursor").asText();
      pages++;
    } while (cursor != null);

    assertThat(quantities).containsExactly(5L, 4L, 3L, 2L, 1L);
    assertThat(pages).isEqualTo(3);
  }

  @Test
  void listOrders_refusesBadLimitCursorAndOtherAccounts() {
    String session = service.session("acct-l");

    assertThat(service.get("/orders?accountId=acct-l&limit=0", session).statusCode())
        .isEqualTo(400);
    assertThat(service.get("/orders?accountId=acct-l&limit=abc", session).statusCode())
        .isEqualTo(400);
    assertThat(service.get("/orders?accountId=acct-l&cursor=zzz", session).statusCode())
        .isEqualTo(400);
    assertThat(service.get("/orders?accountId=acct-l&sort=asc", session).statusCode())
        .isEqualTo(400);
    assertThat(service.get("/orders?accountId=acct-x", session).statusCode()).isEqualTo(403);
  }

  @Test
  void cancel_movesNewToCancelled_andIsIdempotent() {
    String session = service.session("acct-c");
    String id =
        RunningService.json(service.postJson("/orders", session, limitOrder("x-1", "acct-c", 3)))
            .get("orderId")
            .asText();

    HttpResponse<String> first = service.postJson("/orders/" + id + "/cancel", session, "");
    HttpResponse<String> second = service.postJson("/orders/" + id + "/cancel", session, "");
    HttpResponse<String> stranger =
        service.postJson("/orders/" + id + "/cancel", service.session("acct-d"), "");

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(RunningService.json(first).get("status").asText()).isEqualTo("CANCELLED");
    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(stranger.statusCode()).isEqualTo(404);
  }

  @Test
  void oversizedBody_is413_andWrongContentType_is415() {
    String session = service.session("acct-big");
    String big = "{\"clientOrderId\":\"" + "a".repeat(70_000) + "\"}";

    HttpResponse<String> tooLarge = service.postJson("/orders", session, big);
    HttpResponse<String> wrongType =
        service.send(
            HttpRequest.newBuilder(service.uri("/orders"))
                .header("Content-Type", "text/plain")
                .header("X-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofString(limitOrder("t-1", "acct-big", 1))));

    assertThat(tooLarge.statusCode()).isEqualTo(413);
    assertThat(RunningService.json(tooLarge).get("error").asText()).isEqualTo("payload_too_large");
    assertThat(wrongType.statusCode()).isEqualTo(415);
    assertThat(RunningService.json(wrongType).get("field").asText()).isEqualTo("Content-Type");
  }

  @Test
  void unknownPath_is404Json_andWrongMethod_is405WithAllow() {
    HttpResponse<String> missing = service.get("/nope", null);
    HttpResponse<String> wrongMethod =
        service.send(HttpRequest.newBuilder(service.uri("/health")).DELETE());

    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(RunningService.json(missing).get("error").asText()).isEqualTo("not_found");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertThat(wrongMethod.headers().firstValue("Allow")).contains("GET");
  }

  @Test
  void health_isShallow_andReady_reportsWritableDatabaseAndSessionStore() {
    HttpResponse<String> health = service.get("/health", null);
    HttpResponse<String> ready = service.get("/health/ready", null);

    assertThat(health.statusCode()).isEqualTo(200);
    assertThat(ready.statusCode()).isEqualTo(200);
    JsonNode report = RunningService.json(ready);
    assertThat(report.at("/database/mode").asText()).isEqualTo("READ_WRITE");
    assertThat(report.at("/database/engine").asText()).isEqualTo(store.value());
    assertThat(report.at("/database/writable").asBoolean()).isTrue();
    assertThat(report.at("/sessionStore/reachable").asBoolean()).isTrue();
    assertThat(report.at("/writeFence/epoch").asLong()).isEqualTo(7);
  }

  @Test
  void metrics_exposeRequestRateLatencyAndErrorsAsPrometheusText() {
    service.get("/health", null);
    service.get("/nope", null);

    HttpResponse<String> metrics = service.get("/metrics", null);

    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(metrics.body())
        .contains(
            "tdr_http_requests_seconds_count{method=\"GET\",route=\"GET /health\",status=\"200\"}")
        .contains("tdr_http_requests_seconds_bucket")
        .contains("tdr_http_errors_total");
  }
}
