package io.tradingdr.aws.dynamodb;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.RpoLedger;
import io.tradingdr.core.rpo.RpoLedgerStore;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@link RpoLedgerStore} in the control table: a ledger is JSON text in items of partition {@code
 * rpo#<failoverRunId>}: parts {@code sk = part#<5 digits>} (at most {@value #PART_CHARS} characters
 * each, below DynamoDB's 400 KB item limit), then the head {@code sk = ledger} with the number of
 * parts. The head is written last, so a reader never sees a ledger whose parts are not all there; a
 * later save overwrites the parts and then the head. Reads are strongly consistent.
 */
public final class DynamoDbRpoLedgerStore implements RpoLedgerStore {

  static final int PART_CHARS = 100_000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DynamoDbClient dynamoDb;
  private final String table;

  public DynamoDbRpoLedgerStore(DynamoDbClient dynamoDb, String table) {
    this.dynamoDb = Objects.requireNonNull(dynamoDb, "dynamoDb");
    this.table = Objects.requireNonNull(table, "table");
  }

  @Override
  public void save(RpoLedger ledger) {
    String pk = "rpo#" + ledger.failoverRunId();
    String json = toJson(ledger);
    List<String> parts = new ArrayList<>();
    for (int from = 0; from < json.length(); from += PART_CHARS) {
      parts.add(json.substring(from, Math.min(json.length(), from + PART_CHARS)));
    }
    try {
      for (int i = 0; i < parts.size(); i++) {
        String part = parts.get(i);
        String sk = String.format("part#%05d", i);
        put(
            Map.of(
                "pk", AttributeValue.fromS(pk),
                "sk", AttributeValue.fromS(sk),
                "json", AttributeValue.fromS(part)));
      }
      put(
          Map.of(
              "pk", AttributeValue.fromS(pk),
              "sk", AttributeValue.fromS("ledger"),
              "parts", AttributeValue.fromN(Integer.toString(parts.size())),
              "missing", AttributeValue.fromN(Integer.toString(ledger.missing().size())),
              "builtAt", AttributeValue.fromS(ledger.builtAt().toString())));
    } catch (SdkException e) {
      throw AwsErrors.translate("dynamodb:PutItem " + pk + " in " + table, e);
    }
  }

  private void put(Map<String, AttributeValue> item) {
    dynamoDb.putItem(r -> r.tableName(table).item(item));
  }

  @Override
  public Optional<RpoLedger> find(String failoverRunId) {
    String pk = "rpo#" + failoverRunId;
    try {
      Map<String, AttributeValue> head =
          dynamoDb
              .getItem(
                  r ->
                      r.tableName(table)
                          .consistentRead(true)
                          .key(
                              Map.of(
                                  "pk", AttributeValue.fromS(pk),
                                  "sk", AttributeValue.fromS("ledger"))))
              .item();
      if (head == null || head.isEmpty()) {
        return Optional.empty();
      }
      int count = Integer.parseInt(head.get("parts").n());
      StringBuilder json = new StringBuilder();
      dynamoDb
          .queryPaginator(
              r ->
                  r.tableName(table)
                      .consistentRead(true)
                      .keyConditionExpression("pk = :pk AND begins_with(sk, :part)")
                      .expressionAttributeValues(
                          Map.of(
                              ":pk", AttributeValue.fromS(pk),
                              ":part", AttributeValue.fromS("part#"))))
          .items()
          .stream()
          .limit(count)
          .forEach(item -> json.append(item.get("json").s()));
      return Optional.of(fromJson(json.toString()));
    } catch (SdkException e) {
      throw AwsErrors.translate("dynamodb:GetItem/Query " + pk + " in " + table, e);
    }
  }

  static String toJson(RpoLedger ledger) {
    ObjectNode root = JSON.createObjectNode();
    root.put("failoverRunId", ledger.failoverRunId());
    root.put("oldWriter", ledger.oldWriter());
    root.put("newWriter", ledger.newWriter());
    root.put("promotedAt", text(ledger.promotedAt()));
    root.put("since", text(ledger.since()));
    root.put("standbyWatermarkAtPromotion", ledger.standbyWatermarkAtPromotion());
    root.put("oldWriterLastKnownWatermark", ledger.oldWriterLastKnownWatermark());
    root.put("builtAt", text(ledger.builtAt()));
    ArrayNode missing = root.putArray("missing");
    for (CommittedOrder o : ledger.missing()) {
      missing
          .addObject()
          .put("orderId", o.orderId())
          .put("clientOrderId", o.clientOrderId())
          .put("account", o.account())
          .put("committedAt", o.committedAt().toString())
          .put("epoch", o.epoch())
          .put("body", o.body());
    }
    return root.toString();
  }

  static RpoLedger fromJson(String json) {
    try {
      JsonNode root = JSON.readTree(json);
      List<CommittedOrder> missing = new ArrayList<>();
      for (JsonNode o : root.get("missing")) {
        missing.add(
            new CommittedOrder(
                o.get("orderId").asText(),
                o.get("clientOrderId").asText(),
                o.get("account").asText(),
                Instant.parse(o.get("committedAt").asText()),
                o.get("epoch").asLong(),
                o.get("body").asText()));
      }
      return new RpoLedger(
          root.get("failoverRunId").asText(),
          root.get("oldWriter").asText(),
          root.get("newWriter").asText(),
          instant(root.get("promotedAt")),
          instant(root.get("since")),
          nullable(root.get("standbyWatermarkAtPromotion")),
          nullable(root.get("oldWriterLastKnownWatermark")),
          Instant.parse(root.get("builtAt").asText()),
          missing);
    } catch (JsonProcessingException | RuntimeException e) {
      throw new RefusedException("the stored RPO ledger is unreadable: " + e.getMessage(), e);
    }
  }

  private static String text(Instant at) {
    return at == null ? null : at.toString();
  }

  private static Instant instant(JsonNode node) {
    return node == null || node.isNull() ? null : Instant.parse(node.asText());
  }

  private static String nullable(JsonNode node) {
    return node == null || node.isNull() ? null : node.asText();
  }
}
