package io.tradingdr.infra.stacks;

import io.tradingdr.infra.config.InfraConfig;
import io.tradingdr.infra.config.Naming;
import io.tradingdr.infra.constructs.ControlTable;
import software.amazon.awscdk.CfnOutput;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.constructs.Construct;

/** The control table, in the control region (a third region, outside both regions' fate). */
public final class ControlStack extends Stack {
  private final ControlTable control;

  /** Typed inputs of the stack. */
  public record Props(InfraConfig config, Naming naming) {}

  public ControlStack(Construct scope, String id, Props props) {
    super(
        scope,
        id,
        StackProps.builder()
            .stackName(id)
            .description(
                "Trading DR control table in "
                    + props.config().controlRegion()
                    + (props.config().controlRegionDefaulted()
                        ? " (default: the first of us-west-2, us-east-2, us-east-1 outside the pair)"
                        : ""))
            .env(
                Environment.builder()
                    .account(props.config().account())
                    .region(props.config().controlRegion())
                    .build())
            .crossRegionReferences(true)
            .build());
    this.control =
        new ControlTable(
            this,
            "Control",
            tableName(props.naming()),
            "alias/" + props.naming().global("control"),
            props.config().destroyable());
    CfnOutput.Builder.create(this, "controlTableName")
        .value(control.table().getTableName())
        .description("Control table (leases, epochs, run journal)")
        .build();
  }

  public static String tableName(Naming naming) {
    return naming.global("control");
  }

  public String keyArn() {
    return control.key().getKeyArn();
  }
}
