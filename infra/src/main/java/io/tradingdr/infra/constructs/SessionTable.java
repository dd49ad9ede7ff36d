package io.tradingdr.infra.constructs;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.Billing;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.ReplicaTableProps;
import software.amazon.awscdk.services.dynamodb.StreamViewType;
import software.amazon.awscdk.services.dynamodb.TableEncryptionV2;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.kms.IKey;
import software.constructs.Construct;

/**
 * The sessions global table (AWS::DynamoDB::GlobalTable), created from the primary stack with its
 * replica in the standby region, each replica under its region's customer-managed key.
 */
public final class SessionTable extends Construct {
  private final TableV2 table;

  /** Properties of the table. */
  public record Props(
      String tableName,
      String partitionKey,
      boolean pitr,
      boolean stream,
      IKey primaryKey,
      String standbyRegion,
      String standbyKeyArn,
      boolean destroyable) {}

  public SessionTable(Construct scope, String id, Props props) {
    super(scope, id);
    TableV2.Builder builder =
        TableV2.Builder.create(this, "Table")
            .tableName(props.tableName())
            .partitionKey(
                Attribute.builder().name(props.partitionKey()).type(AttributeType.STRING).build())
            .billing(Billing.onDemand())
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder()
                    .pointInTimeRecoveryEnabled(props.pitr())
                    .build())
            .encryption(
                TableEncryptionV2.customerManagedKey(
                    props.primaryKey(), Map.of(props.standbyRegion(), props.standbyKeyArn())))
            .replicas(List.of(ReplicaTableProps.builder().region(props.standbyRegion()).build()))
            .deletionProtection(!props.destroyable())
            .removalPolicy(props.destroyable() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN);
    if (props.stream()) {
      builder.dynamoStream(StreamViewType.NEW_AND_OLD_IMAGES);
    }
    this.table = builder.build();
  }

  public TableV2 table() {
    return table;
  }

  /** The table's ARN in a region (the replica ARN in the standby). */
  public static String arn(String region, String account, String tableName) {
    return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + tableName;
  }

  /** Data-plane actions the service needs on the sessions table. */
  public static final List<String> DATA_ACTIONS =
      List.of(
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:Query",
          "dynamodb:ConditionCheckItem");
}
