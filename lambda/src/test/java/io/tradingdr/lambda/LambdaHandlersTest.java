package io.tradingdr.lambda;

import static org.assertj.core.api.Assertions.assertThat;

import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.service.RunningService;
import io.tradingdr.service.TradingServiceRuntime;
import io.tradingdr.service.api.Json;
import io.tradingdr.service.config.OrderStoreKind;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class LambdaHandlersTest {

  private static RunningService service;
  private static ApiGatewayHandler apiGateway;
  private static AlbHandler alb;
  private static SqsOrderHandler sqs;

  @BeforeAll
  static void start() {
    service = RunningService.start(Map.of());
    apiGateway = new ApiGatewayHandler(service.api);
    alb = new AlbHandler(service.api);
    sqs = new SqsOrderHandler(service.api);
  }

  @AfterAll
  static void stop() {
    service.close();
  }

  private static String order(String clientOrderId, String account, int quantity) {
    return "{\"clientOrderId\":\""
        + clientOrderId
        + "\",\"accountId\":\""
        + account
        + "\",\"symbol\":\"AAPL\",\"side\":\"BUY\",\"type\":\"LIMIT\",\"quantity\":"
        + quantity
        + ",\"limitPrice\":10.5}";
  }

  private static JsonNode json(String body) {
    try {
      return Json.mapper().readTree(body);
    } catch (IOException e) {
      throw new IllegalStateException(body, e);
    }
  }

  private static APIGatewayProxyResponseEvent gateway(
      String method, String path, String session, String body) {
    APIGatewayProxyRequestEvent event =
        new APIGatewayProxyRequestEvent()
            .withHttpMethod(method)
            .withPath(path)
            .withHeaders(
                session == null
                    ? Map.of("content-type", "application/json")
                    : Map.of("content-type", "application/json", "x-session-id", session))
            .withBody(body)
            .withIsBase64Encoded(false);
    return apiGateway.handleRequest(event, null);
  }

  @Test
  void apiGateway_createsSessionAndOrder_andReplaysIdempotently() {
    String session =
        json(gateway("POST", "/sessions", null, "{\"accountId\":\"gw-1\"}").getBody())
            .get("sessionId")
            .asText();

    APIGatewayProxyResponseEvent created =
        gateway("POST", "/orders", session, order("g-1", "gw-1", 4));
    APIGatewayProxyResponseEvent replay =
        gateway("POST", "/orders", session, order("g-1", "gw-1", 4));

    assertThat(created.getStatusCode()).isEqualTo(201);
    assertThat(created.getHeaders()).containsEntry("Content-Type", "application/json");
    JsonNode order = json(created.getBody());
    assertThat(order.get("region").asText()).isEqualTo("region-a");
    assertThat(order.get("epoch").asLong()).isEqualTo(7);
    assertThat(replay.getStatusCode()).isEqualTo(200);
    assertThat(json(replay.getBody()).get("orderId")).isEqualTo(order.get("orderId"));
    APIGatewayProxyResponseEvent fetched =
        gateway("GET", "/orders/" + order.get("orderId").asText(), session, null);
    assertThat(fetched.getStatusCode()).isEqualTo(200);
  }

  @Test
  void apiGateway_decodesBase64Bodies_andAnswersBadInputWith400() {
    String session =
        json(gateway("POST", "/sessions", null, "{\"accountId\":\"gw-2\"}").getBody())
            .get("sessionId")
            .asText();
    APIGatewayProxyRequestEvent encoded =
        new APIGatewayProxyRequestEvent()
            .withHttpMethod("POST")
            .withPath("/orders")
            .withHeaders(Map.of("Content-Type", "application/json", "X-Session-Id", session))
            .withBody(
                Base64.getEncoder()
                    .encodeToString(order("g-2", "gw-2", 1).getBytes(StandardCharsets.UTF_8)))
            .withIsBase64Encoded(true);

    APIGatewayProxyResponseEvent created = apiGateway.handleRequest(encoded, null);
    APIGatewayProxyResponseEvent invalid =
        gateway("POST", "/orders", session, order("g-3", "gw-2", 0));

    assertThat(created.getStatusCode()).isEqualTo(201);
    assertThat(invalid.getStatusCode()).isEqualTo(400);
    assertThat(json(invalid.getBody()).get("field").asText()).isEqualTo("quantity");
  }

  @Test
  void alb_servesHealthAndPagedListsWithEncodedQueries() {
    String session =
        json(gateway("POST", "/sessions", null, "{\"accountId\":\"alb.1\"}").getBody())
            .get("sessionId")
            .asText();
    gateway("POST", "/orders", session, order("a-1", "alb.1", 1));
    gateway("POST", "/orders", session, order("a-2", "alb.1", 2));
    ApplicationLoadBalancerRequestEvent list = new ApplicationLoadBalancerRequestEvent();
    list.setHttpMethod("GET");
    list.setPath("/orders");
    list.setHeaders(Map.of("x-session-id", session));
    list.setQueryStringParameters(Map.of("accountId", "alb%2E1", "limit", "1"));
    ApplicationLoadBalancerRequestEvent health = new ApplicationLoadBalancerRequestEvent();
    health.setHttpMethod("GET");
    health.setPath("/health");

    ApplicationLoadBalancerResponseEvent page = alb.handleRequest(list, null);
    ApplicationLoadBalancerResponseEvent up = alb.handleRequest(health, null);

    assertThat(page.getStatusCode()).isEqualTo(200);
    assertThat(page.getStatusDescription()).isEqualTo("200 OK");
    JsonNode body = json(page.getBody());
    assertThat(body.get("orders")).hasSize(1);
    assertThat(body.get("orders").get(0).get("quantity").asLong()).isEqualTo(2);
    assertThat(body.get("nextCursor").isNull()).isFalse();
    assertThat(up.getStatusCode()).isEqualTo(200);
  }

  @Test
  void sqs_storesEachOrderOnce_andReportsOnlyFailedMessages() {
    String session =
        json(gateway("POST", "/sessions", null, "{\"accountId\":\"q-1\"}").getBody())
            .get("sessionId")
            .asText();
    SQSEvent event = new SQSEvent();
    event.setRecords(
        List.of(
            message("m-1", session, order("q-order-1", "q-1", 3)),
            message("m-2", session, order("q-order-1", "q-1", 3)),
            message("m-3", session, order("q-order-2", "q-1", -5)),
            message("m-4", null, order("q-order-3", "q-1", 1)),
            message("m-5", session, order("q-order-4", "q-1", 9))));

    SQSBatchResponse response = sqs.handleRequest(event, null);
    SQSBatchResponse redelivered = sqs.handleRequest(event, null);

    assertThat(response.getBatchItemFailures())
        .extracting(SQSBatchResponse.BatchItemFailure::getItemIdentifier)
        .containsExactly("m-3", "m-4");
    assertThat(redelivered.getBatchItemFailures()).hasSize(2);
    assertThat(service.countOrders("accountId", "q-1")).isEqualTo(2);
  }

  @Test
  void noArgConstructorPath_buildsTheRuntimeFromTheEnvironment() {
    Map<String, String> env = RunningService.environment(service.jdbcUrl);

    try (TradingServiceRuntime runtime = LambdaRuntime.start(env)) {
      APIGatewayProxyResponseEvent ready =
          new ApiGatewayHandler(runtime.api())
              .handleRequest(
                  new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/health/ready"),
                  null);

      assertThat(ready.getStatusCode()).isEqualTo(200);
      assertThat(runtime.database()).isPresent();
    }
  }

  @ParameterizedTest
  @EnumSource(OrderStoreKind.class)
  void noArgConstructorPath_servesOrdersFromEveryOrderStore(OrderStoreKind store) {
    Map<String, String> env = RunningService.environment(store);

    try (TradingServiceRuntime runtime = LambdaRuntime.start(env)) {
      ApiGatewayHandler handler = new ApiGatewayHandler(runtime.api());
      String session =
          json(handler
                  .handleRequest(
                      new APIGatewayProxyRequestEvent()
                          .withHttpMethod("POST")
                          .withPath("/sessions")
                          .withHeaders(Map.of("content-type", "application/json"))
                          .withBody("{\"accountId\":\"env-1\"}"),
                      null)
                  .getBody())
              .get("sessionId")
              .asText();
      APIGatewayProxyResponseEvent created =
          handler.handleRequest(
              new APIGatewayProxyRequestEvent()
                  .withHttpMethod("POST")
                  .withPath("/orders")
                  .withHeaders(Map.of("content-type", "application/json", "x-session-id", session))
                  .withBody(order("e-1", "env-1", 2)),
              null);
      APIGatewayProxyResponseEvent ready =
          handler.handleRequest(
              new APIGatewayProxyRequestEvent().withHttpMethod("GET").withPath("/health/ready"),
              null);

      assertThat(created.getStatusCode()).isEqualTo(201);
      assertThat(runtime.orderStore().engine()).isEqualTo(store.value());
      assertThat(json(ready.getBody()).at("/database/engine").asText()).isEqualTo(store.value());
      assertThat(runtime.database().isPresent()).isEqualTo(store.isSql());
    }
  }

  private static SQSEvent.SQSMessage message(String id, String session, String body) {
    SQSEvent.SQSMessage message = new SQSEvent.SQSMessage();
    message.setMessageId(id);
    message.setBody(body);
    if (session != null) {
      SQSEvent.MessageAttribute attribute = new SQSEvent.MessageAttribute();
      attribute.setDataType("String");
      attribute.setStringValue(session);
      message.setMessageAttributes(Map.of(SqsOrderHandler.SESSION_ATTRIBUTE, attribute));
    }
    return message;
  }
}
