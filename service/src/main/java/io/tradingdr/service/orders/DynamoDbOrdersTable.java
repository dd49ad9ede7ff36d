package io.tradingdr.service.orders;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.GlobalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;

/**
 * The DynamoDB orders table's schema, shared with the infrastructure (profiles warm-standby and
 * serverless-alb create it as a global table): partition key {@value #PARTITION_KEY} (S), no sort
 * key, on-demand; global secondary index {@value #BY_ACCOUNT_INDEX} with partition key {@value
 * #ACCOUNT_ID} (S) and sort key {@value #CREATED_KEY} (S), projecting all attributes. Only order
 * items carry both index keys, so the index holds orders and nothing else.
 */
public final class DynamoDbOrdersTable {

  public static final String PARTITION_KEY = "pk";
  public static final String BY_ACCOUNT_INDEX = "byAccount";
  public static final String ACCOUNT_ID = "accountId";
  public static final String CREATED_KEY = "createdKey";

  private DynamoDbOrdersTable() {}

  /** Creates the table and waits until it exists (tests, DynamoDB Local, local tools). */
  public static void create(DynamoDbClient client, String tableName) {
    client.createTable(
        r ->
            r.tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(key(PARTITION_KEY, KeyType.HASH))
                .attributeDefinitions(
                    attribute(PARTITION_KEY), attribute(ACCOUNT_ID), attribute(CREATED_KEY))
                .globalSecondaryIndexes(
                    GlobalSecondaryIndex.builder()
                        .indexName(BY_ACCOUNT_INDEX)
                        .keySchema(key(ACCOUNT_ID, KeyType.HASH), key(CREATED_KEY, KeyType.RANGE))
                        .projection(Projection.builder().projectionType(ProjectionType.ALL).build())
                        .build()));
    client.waiter().waitUntilTableExists(r -> r.tableName(tableName));
  }

  /** {@link #create} unless a table of that name exists; returns whether it created one. */
  public static boolean createIfMissing(DynamoDbClient client, String tableName) {
    try {
      client.describeTable(r -> r.tableName(tableName));
      return false;
    } catch (ResourceNotFoundException e) {
      create(client, tableName);
      return true;
    }
  }

  private static KeySchemaElement key(String name, KeyType type) {
    return KeySchemaElement.builder().attributeName(name).keyType(type).build();
  }

  private static AttributeDefinition attribute(String name) {
    return AttributeDefinition.builder()
        .attributeName(name)
        .attributeType(ScalarAttributeType.S)
        .build();
  }
}
