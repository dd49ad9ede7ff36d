package io.tradingdr.infra.constructs;

import java.util.List;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.dynamodb.Attribute;
import software.amazon.awscdk.services.dynamodb.AttributeType;
import software.amazon.awscdk.services.dynamodb.Billing;
import software.amazon.awscdk.services.dynamodb.PointInTimeRecoverySpecification;
import software.amazon.awscdk.services.dynamodb.TableEncryptionV2;
import software.amazon.awscdk.services.dynamodb.TableV2;
import software.amazon.awscdk.services.kms.Key;
import software.constructs.Construct;

/**
 * The control store: leases, epochs and the run journal, in one table in a region outside the pair.
 * It is deliberately not a replicated table: conditional writes in two regions would not make one
 * lease. Schema as DynamoDbControlStore expects: {@code pk} (S), {@code sk} (S).
 */
public final class ControlTable extends Construct {
  private final TableV2 table;
  private final Key key;

  public ControlTable(
      Construct scope, String id, String tableName, String keyAlias, boolean destroyable) {
    super(scope, id);
    this.key =
        Key.Builder.create(this, "Key")
            .alias(keyAlias)
            .description("Trading DR control table " + tableName)
            .enableKeyRotation(true)
            .rotationPeriod(Duration.days(365))
            .removalPolicy(destroyable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
            .build();
    this.table =
        TableV2.Builder.create(this, "Table")
            .tableName(tableName)
            .partitionKey(Attribute.builder().name("pk").type(AttributeType.STRING).build())
            .sortKey(Attribute.builder().name("sk").type(AttributeType.STRING).build())
            .billing(Billing.onDemand())
            .pointInTimeRecoverySpecification(
                PointInTimeRecoverySpecification.builder().pointInTimeRecoveryEnabled(true).build())
            .encryption(TableEncryptionV2.customerManagedKey(key))
            .deletionProtection(!destroyable)
            .removalPolicy(destroyable ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
            .build();
  }

  public TableV2 table() {
    return table;
  }

  public Key key() {
    return key;
  }

  /** Actions the orchestrator and the services need: consistent reads and conditional writes. */
  public static final List<String> ACTIONS =
      List.of(
          "dynamodb:GetItem",
          "dynamodb:PutItem",
          "dynamodb:UpdateItem",
          "dynamodb:DeleteItem",
          "dynamodb:Query",
          "dynamodb:ConditionCheckItem");
}
