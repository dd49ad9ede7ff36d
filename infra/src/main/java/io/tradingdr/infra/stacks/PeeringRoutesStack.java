package io.tradingdr.infra.stacks;

import io.tradingdr.infra.config.InfraConfig;
import io.tradingdr.infra.constructs.VpcPeering;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Environment;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.StackProps;
import software.amazon.awscdk.services.ec2.IVpc;
import software.constructs.Construct;

/**
 * The primary side's routes to the standby CIDR. Its own stack in the primary region because the
 * peering connection is created by the standby stack, which is deployed after the primary.
 */
public final class PeeringRoutesStack extends Stack {

  /** Typed inputs: the primary VPC and the peering connection id from the standby stack. */
  public record Props(InfraConfig config, IVpc primaryVpc, String peeringConnectionId) {}

  public PeeringRoutesStack(Construct scope, String id, Props props) {
    super(
        scope,
        id,
        StackProps.builder()
            .stackName(id)
            .description("Trading DR primary routes to the standby VPC")
            .env(
                Environment.builder()
                    .account(props.config().account())
                    .region(props.config().primaryRegion())
                    .build())
            .crossRegionReferences(true)
            .build());
    // Strong references (Fn::ImportValue) are intended: they pin the deploy order.
    Annotations.of(this)
        .acknowledgeWarning(
            "@aws-cdk/core:crossStackReferencesDefaultStrong",
            "Strong cross-stack references keep the one-directional deploy order");
    VpcPeering.addRoutes(
        this,
        props.primaryVpc(),
        props.config().spec().network().standbyCidr(),
        props.peeringConnectionId());
  }
}
