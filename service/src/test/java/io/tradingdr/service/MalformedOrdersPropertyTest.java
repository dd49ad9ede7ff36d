package io.tradingdr.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradingdr.service.api.Json;
import io.tradingdr.service.config.OrderStoreKind;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated malformed POST /orders requests over real HTTP, each sent to a service on one of the
 * order stores (PostgreSQL, MySQL on MariaDB, DynamoDB Local; every store gets its share of the
 * tries): every one gets a 4xx with a JSON error, none writes an order.
 */
class MalformedOrdersPropertyTest {

  private static final String ACCOUNT = "acct-prop";
  private static final List<String> FIELDS =
      List.of("clientOrderId", "accountId", "symbol", "side", "type", "quantity", "limitPrice");
  private static final Map<OrderStoreKind, RunningService> SERVICES =
      new EnumMap<>(OrderStoreKind.class);
  private static final Map<OrderStoreKind, String> SESSIONS = new EnumMap<>(OrderStoreKind.class);

  /** One malformed request. */
  record Malformed(String description, String contentType, byte[] body) {
    @Override
    public String toString() {
      String text = new String(body, StandardCharsets.UTF_8);
      return description
          + " ["
          + contentType
          + "] "
          + (text.length() > 300 ? text.substring(0, 300) + "..." : text);
    }
  }

  @BeforeContainer
  static void start() {
    for (OrderStoreKind store : OrderStoreKind.values()) {
      RunningService service = RunningService.start(store, Map.of());
      SERVICES.put(store, service);
      SESSIONS.put(store, service.session(ACCOUNT));
    }
  }

  @AfterContainer
  static void stop() {
    SERVICES.values().forEach(RunningService::close);
    SERVICES.clear();
  }

  @Property(tries = 1000)
  void malformedOrder_gets4xxWithJsonError_andWritesNoRow(
      @ForAll("malformed") Malformed request, @ForAll OrderStoreKind store) {
    RunningService service = SERVICES.get(store);
    String session = SESSIONS.get(store);
    HttpResponse<String> response =
        service.send(
            HttpRequest.newBuilder(service.uri("/orders"))
                .header("Content-Type", request.contentType())
                .header("X-Session-Id", session)
                .POST(HttpRequest.BodyPublishers.ofByteArray(request.body())));

    assertThat(response.statusCode()).as(request.toString()).isBetween(400, 499);
    JsonNode error = RunningService.json(response);
    assertThat(error.hasNonNull("error")).as(response.body()).isTrue();
    assertThat(error.hasNonNull("message")).as(response.body()).isTrue();
    if (request.description().startsWith("field:")) {
      assertThat(error.path("field").asText())
          .as(response.body())
          .isEqualTo(request.description().substring("field:".length()));
    }
    assertThat(service.orderRows()).isZero();
  }

  @Provide
  Arbitrary<Malformed> malformed() {
    return Arbitraries.frequencyOf(
        net.jqwik.api.Tuple.of(5, badFieldValue()),
        net.jqwik.api.Tuple.of(2, missingField()),
        net.jqwik.api.Tuple.of(2, unknownField()),
        net.jqwik.api.Tuple.of(2, brokenJson()),
        net.jqwik.api.Tuple.of(1, wrongContentType()),
        net.jqwik.api.Tuple.of(1, notAnObject()),
        net.jqwik.api.Tuple.of(1, oversized()));
  }

  private static ObjectNode validOrder(String clientOrderId) {
    ObjectNode order = JsonNodeFactory.instance.objectNode();
    order.put("clientOrderId", clientOrderId);
    order.put("accountId", ACCOUNT);
    order.put("symbol", "AAPL");
    order.put("side", "BUY");
    order.put("type", "LIMIT");
    order.put("quantity", 10);
    order.put("limitPrice", new java.math.BigDecimal("12.5"));
    return order;
  }

  private static Arbitrary<String> clientOrderIds() {
    return Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(20);
  }

  private static Malformed json(String description, ObjectNode node) {
    return new Malformed(description, "application/json", Json.write(node));
  }

  /** One field set to a value of the wrong type or out of its range. */
  private Arbitrary<Malformed> badFieldValue() {
    Arbitrary<JsonNode> wrongTypes =
        Arbitraries.of(
            JsonNodeFactory.instance.booleanNode(true),
            JsonNodeFactory.instance.arrayNode().add(1),
            JsonNodeFactory.instance.objectNode().put("x", 1),
            JsonNodeFactory.instance.numberNode(3.5));
    Arbitrary<Map.Entry<String, JsonNode>> bad =
        Arbitraries.oneOf(
            Arbitraries.longs()
                .between(Long.MIN_VALUE / 2, 0)
                .map(q -> Map.entry("quantity", (JsonNode) JsonNodeFactory.instance.numberNode(q))),
            Arbitraries.longs()
                .between(1_000_001L, Long.MAX_VALUE)
                .map(q -> Map.entry("quantity", (JsonNode) JsonNodeFactory.instance.numberNode(q))),
            Arbitraries.of("1.5", "99999999999999999999999", "\"10\"", "-0.0")
                .map(q -> Map.entry("quantity", parse(q))),
            Arbitraries.of(
                    "0",
                    "-1",
                    "12.34567",
                    "0.00001",
                    "1000000000.0001",
                    "\"12.5\"",
                    "1e12",
                    "-0.0001")
                .map(p -> Map.entry("limitPrice", parse(p))),
            Arbitraries.of("buy", "HOLD", "", "BUYSELL", " BUY")
                .map(s -> Map.entry("side", (JsonNode) JsonNodeFactory.instance.textNode(s))),
            Arbitraries.of("limit", "STOP", "", "MARKET ")
                .map(s -> Map.entry("type", (JsonNode) JsonNodeFactory.instance.textNode(s))),
            Arbitraries.of("", "has space", "x".repeat(65), "é", "a/b")
                .map(
                    s ->
                        Map.entry(
                            "clientOrderId", (JsonNode) JsonNodeFactory.instance.textNode(s))),
            Arbitraries.of("aapl", "", "TOOLONGSYMBOL1", "A B", "1ABC")
                .map(s -> Map.entry("symbol", (JsonNode) JsonNodeFactory.instance.textNode(s))),
            Combinators.combine(Arbitraries.of(FIELDS), wrongTypes)
                .as(Map::entry)
                // a decimal is a fine limitPrice
                .filter(e -> !(e.getKey().equals("limitPrice") && e.getValue().isNumber())));
    return Combinators.combine(clientOrderIds(), bad)
        .as(
            (id, entry) -> {
              ObjectNode order = validOrder(id);
              order.set(entry.getKey(), entry.getValue());
              return json("field:" + entry.getKey(), order);
            });
  }

  private Arbitrary<Malformed> missingField() {
    return Combinators.combine(clientOrderIds(), Arbitraries.of(FIELDS))
        .as(
            (id, field) -> {
              ObjectNode order = validOrder(id);
              order.remove(field);
              return json("field:" + field, order);
            });
  }

  private Arbitrary<Malformed> unknownField() {
    Arbitrary<String> names =
        Arbitraries.strings()
            .alpha()
            .ofMinLength(1)
            .ofMaxLength(12)
            .filter(n -> !FIELDS.contains(n));
    return Combinators.combine(clientOrderIds(), names)
        .as(
            (id, name) -> {
              ObjectNode order = validOrder(id);
              order.put(name, "x");
              return json("field:" + name, order);
            });
  }

  private Arbitrary<Malformed> brokenJson() {
    Arbitrary<Malformed> truncated =
        Combinators.combine(clientOrderIds(), Arbitraries.integers().between(0, 90))
            .as(
                (id, cut) -> {
                  byte[] full = Json.write(validOrder(id));
                  byte[] part = java.util.Arrays.copyOf(full, Math.min(cut, full.length - 1));
                  return new Malformed("truncated", "application/json", part);
                });
    Arbitrary<Malformed> garbage =
        Arbitraries.strings()
            .ofMinLength(0)
            .ofMaxLength(200)
            .map(
                s ->
                    new Malformed(
                        "garbage", "application/json", s.getBytes(StandardCharsets.UTF_8)));
    Arbitrary<Malformed> bytes =
        Arbitraries.bytes()
            .array(byte[].class)
            .ofMinSize(1)
            .ofMaxSize(100)
            .map(b -> new Malformed("bytes", "application/json", b));
    Arbitrary<Malformed> trailing =
        clientOrderIds()
            .map(
                id ->
                    new Malformed(
                        "trailing",
                        "application/json",
                        (new String(Json.write(validOrder(id)), StandardCharsets.UTF_8) + " {}")
                            .getBytes(StandardCharsets.UTF_8)));
    Arbitrary<Malformed> duplicate =
        clientOrderIds()
            .map(
                id ->
                    new Malformed(
                        "duplicate key",
                        "application/json",
                        new String(Json.write(validOrder(id)), StandardCharsets.UTF_8)
                            .replace("\"quantity\":10", "\"quantity\":10,\"quantity\":11")
                            .getBytes(StandardCharsets.UTF_8)));
    Arbitrary<Malformed> rawNumbers =
        Combinators.combine(
                clientOrderIds(),
                Arbitraries.of(
                    Map.entry("\"quantity\":10", "\"quantity\":1e3"),
                    Map.entry("\"quantity\":10", "\"quantity\":10.0"),
                    Map.entry("\"quantity\":10", "\"quantity\":0x10"),
                    Map.entry("\"limitPrice\":12.5", "\"limitPrice\":1.2345e-1"),
                    Map.entry("\"limitPrice\":12.5", "\"limitPrice\":NaN")))
            .as(
                (id, swap) ->
                    new Malformed(
                        "raw number",
                        "application/json",
                        new String(Json.write(validOrder(id)), StandardCharsets.UTF_8)
                            .replace(swap.getKey(), swap.getValue())
                            .getBytes(StandardCharsets.UTF_8)));
    return Arbitraries.oneOf(truncated, garbage, bytes, trailing, duplicate, rawNumbers);
  }

  private Arbitrary<Malformed> wrongContentType() {
    return Combinators.combine(
            clientOrderIds(),
            Arbitraries.of(
                "text/plain",
                "application/xml",
                "application/x-www-form-urlencoded",
                "application/json; charset=latin1",
                "application/jsonx"))
        .as((id, type) -> new Malformed("content type", type, Json.write(validOrder(id))));
  }

  private Arbitrary<Malformed> notAnObject() {
    return Arbitraries.of("[]", "null", "42", "\"order\"", "true", "[{\"quantity\":1}]")
        .map(
            s ->
                new Malformed(
                    "not an object", "application/json", s.getBytes(StandardCharsets.UTF_8)));
  }

  private Arbitrary<Malformed> oversized() {
    return Arbitraries.integers()
        .between(64 * 1024 + 1, 200 * 1024)
        .map(
            size -> {
              ObjectNode order = validOrder("big");
              order.put("clientOrderId", "a".repeat(size));
              return new Malformed("oversized", "application/json", Json.write(order));
            });
  }

  private static JsonNode parse(String json) {
    try {
      return Json.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException(json, e);
    }
  }
}
