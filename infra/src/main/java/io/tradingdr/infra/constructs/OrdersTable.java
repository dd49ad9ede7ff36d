package io.tradingdr.infra.constructs;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.Billing;
import software.amazon.awscdk.services.dynamodb.GlobalSecondaryIndexPropsV2;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ProjectionType;
import software.amazon.awscdk.services.dynamodb.ReplicaTableProps;
import software.amazon.awscdk.services.dynamodb.TableEncryptionV2;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The orders global table of the service's DynamoDB order store (profiles without a relational
 * database), created from the primary stack with its replica in the standby region, each replica
 * under its region's customer-managed key, with point-in-time recovery. Schema as the store and the
 * orchestrator's DynamoDbGlobalTableReplication expect: partition key {@code pk} (S), no sort key;
 * the sparse index {@code byAccount} ({@code accountId} S, {@code createdKey} S, projection ALL)
 * holds only the order items.
 */
public final class OrdersTable extends Construct {
  public static final String PARTITION_KEY = "pk";
  public static final String ACCOUNT_INDEX = "byAccount";
  public static final String INDEX_PARTITION_KEY = "accountId";
  public static final String INDEX_SORT_KEY = "createdKey";

  /**
   * Table actions of the service's order store: reads, conditional puts and updates; its
   * TransactWriteItems (order plus idempotency item) is authorized as the PutItem and
   * ConditionCheckItem it contains; DescribeTable is the readiness check.
   */
  public static final List<String> SERVICE_TABLE_ACTIONS =
      List.of(
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:ConditionCheckItem",
          "dynamodb:DescribeTable");

  /** Index actions of the service's order store: orders of an account, newest first. */
  public static final List<String> SERVICE_INDEX_ACTIONS = List.of("dynamodb:Query");

  /**
   * Actions of the orchestrator's DynamoDbGlobalTableReplication in each region: it writes a
   * replication watermark item and reads it back from the other replica.
   */
  public static final List<String> ORCHESTRATOR_ACTIONS =
      List.of("dynamodb:DescribeTable", "dynamodb:GetItem", "dynamodb:PutItem");

  private final TableV2 table;

  /** Properties of the table. */
  public record Props(
      String tableName,
      IKey primaryKey,
      String standbyRegion,
      String standbyKeyArn,
      boolean destroyable) {}

  public OrdersTable(Construct scope, String id, Props props) {
    super(scope, id);
    this.table =
        TableV2.Builder.create(this, "Table")
            .tableName(props.tableName())
            .partitionKey(
                Attribute.builder().name(PARTITION_KEY).type(AttributeType.STRING).build())
            .billing(Billing.onDemand())
            .globalSecondaryIndexes(
                List.of(
                    GlobalSecondaryIndexPropsV2.builder()
                        .indexName(ACCOUNT_INDEX)
                        .partitionKey(
                            Attribute.builder()
                                .name(INDEX_PARTITION_KEY)
                                .type(AttributeType.STRING)
                                .build())
                        .sortKey(
                            Attribute.builder()
                                .name(INDEX_SORT_KEY)
                                .type(AttributeType.STRING)
                                .build())
                        .projectionType(ProjectionType.ALL)
                        .build()))
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .encryption(
                TableEncryptionV2.customerManagedKey(
                    props.primaryKey(), Map.of(props.standbyRegion(), props.standbyKeyArn())))
            .replicas(List.of(ReplicaTableProps.builder().region(props.standbyRegion()).build()))
            .deletionProtection(!props.destroyable())
            .removalPolicy(props.destroyable() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
            .build();
  }

  public TableV2 table() {
    return table;
  }

  /** The {@code byAccount} index's ARN in a region. */
  public static String indexArn(String region, String account, String tableName) {
    return SessionTable.arn(region, account, tableName) + "/index/" + ACCOUNT_INDEX;
  }
}
