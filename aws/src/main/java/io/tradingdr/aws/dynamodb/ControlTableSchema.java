package io.tradingdr.aws.dynamodb;

import java.time.Instant;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The control table's layout, shared by {@link DynamoDbControlStore} and the CDK stack (which must
 * create the same key schema).
 *
 * <p>Keys: partition key {@code pk} (S), sort key {@code sk} (S), on-demand billing, no indexes, no
 * TTL attribute (expiry is judged by readers, never by DynamoDB's deletion).
 *
 * <table>
 *   <caption>Items</caption>
 *   <tr><th>pk</th><th>sk</th><th>attributes</th></tr>
 *   <tr><td>{@code lease#write}</td><td>{@code current}</td>
 *       <td>epoch N, holder S (absent when revoked), expiresAt N (epoch ms), updatedAt S</td></tr>
 *   <tr><td>{@code lease#run}</td><td>{@code current}</td>
 *       <td>owner S, token S, expiresAt N (epoch ms), updatedAt S</td></tr>
 *   <tr><td>{@code run#<runId>}</td><td>{@code seq#<20-digit sequence>}</td>
 *       <td>runId S, sequence N, at S (ISO-8601), step S, phase S, reason S, attributes M of S</td></tr>
 *   <tr><td>{@code runs}</td><td>{@code <start epoch ms, 15 digits>#<runId>}</td>
 *       <td>runId S, startedAt S</td></tr>
 *   <tr><td>{@code switch#automatic-failover}</td><td>{@code current}</td>
 *       <td>paused BOOL, reason S, updatedAt S</td></tr>
 * </table>
 */
public final class ControlTableSchema {

  public static final String PARTITION_KEY = "pk";
  public static final String SORT_KEY = "sk";

  static final String SINGLETON_SK = "current";
  static final String WRITE_LEASE_PK = "lease#write";
  static final String RUN_LEASE_PK = "lease#run";
  static final String RUN_INDEX_PK = "runs";
  static final String SWITCH_AUTOMATIC_FAILOVER_PK = "switch#automatic-failover";

  private ControlTableSchema() {}

  /**
   * Creates the control table with this schema (DynamoDB Local, tests, the local regions) and waits
   * until it exists. Does nothing when it already exists. In AWS the CDK stack creates it.
   */
  public static void createTable(DynamoDbClient dynamo, String table) {
    requireValidTableName(table);
    try {
      dynamo.createTable(
          r ->
              r.tableName(table)
                  .billingMode(BillingMode.PAY_PER_REQUEST)
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName(PARTITION_KEY)
                          .attributeType(ScalarAttributeType.S)
                          .build(),
                      AttributeDefinition.builder()
                          .attributeName(SORT_KEY)
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .keySchema(
                      KeySchemaElement.builder()
                          .attributeName(PARTITION_KEY)
                          .keyType(KeyType.HASH)
                          .build(),
                      KeySchemaElement.builder()
                          .attributeName(SORT_KEY)
                          .keyType(KeyType.RANGE)
                          .build()));
    } catch (ResourceInUseException exists) {
      // Created before (or concurrently): the schema is fixed, nothing to do.
    }
    dynamo.waiter().waitUntilTableExists(r -> r.tableName(table));
  }

  static String requireValidTableName(String table) {
    if (table == null || !table.matches("[a-zA-Z0-9_.-]{3,255}")) {
      throw new IllegalArgumentException(
          "control table name '"
              + table
              + "' is invalid: use 3-255 letters, digits, '_', '-' or '.'");
    }
    return table;
  }

  static Map<String, AttributeValue> key(String pk, String sk) {
    return Map.of(PARTITION_KEY, AttributeValue.fromS(pk), SORT_KEY, AttributeValue.fromS(sk));
  }

  static String runPk(String runId) {
    return "run#" + runId;
  }

  static String sequenceSk(long sequence) {
    return "seq#" + String.format("%020d", sequence);
  }

  static String runIndexSk(Instant startedAt, String runId) {
    return String.format("%015d", startedAt.toEpochMilli()) + "#" + runId;
  }
}
