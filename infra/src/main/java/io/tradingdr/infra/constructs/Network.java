package io.tradingdr.infra.constructs;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.Tags;
import software.amazon.awscdk.services.ec2.CfnSubnet;
import software.amazon.awscdk.services.ec2.FlowLogDestination;
import software.amazon.awscdk.services.ec2.FlowLogOptions;
import software.amazon.awscdk.services.ec2.FlowLogTrafficType;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.IpAddresses;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.logs.LogGroup;
import software.amazon.awscdk.services.logs.RetentionDays;
import software.constructs.Construct;

/**
 * One region's VPC: public subnets for load balancers, private subnets for instances, databases
 * and functions, NAT only where the profile has it, flow logs to an encrypted log group. Without
 * NAT, an S3 gateway endpoint carries the service jar download and the Amazon Linux 2023 package
 * repositories (which AL2023 serves from S3 buckets), and a DynamoDB gateway endpoint the session
 * traffic; interface endpoints cover the other APIs the workload calls.
 */
public final class Network extends Construct {
  private final Vpc vpc;

  /** Properties of the network. */
  public record Props(
      String vpcName,
      String cidr,
      int azCount,
      int natGateways,
      boolean privateSubnets,
      List<String> publicSubnetCidrs,
      List<String> privateSubnetCidrs,
      List<InterfaceVpcEndpointAwsService> interfaceEndpoints,
      IKey logKey,
      boolean destroyable) {}

  public Network(Construct scope, String id, Props props) {
    super(scope, id);
    List<SubnetConfiguration> subnets = new ArrayList<>();
    subnets.add(
        SubnetConfiguration.builder()
            .name("public")
            .subnetType(SubnetType.PUBLIC)
            .cidrMask(24)
            .mapPublicIpOnLaunch(false)
            .build());
    if (props.privateSubnets()) {
      subnets.add(
          SubnetConfiguration.builder()
              .name("private")
              .subnetType(
                  props.natGateways() > 0
                      ? SubnetType.PRIVATE_WITH_EGRESS
                      : SubnetType.PRIVATE_ISOLATED)
              .cidrMask(24)
              .build());
    }
    this.vpc =
        Vpc.Builder.create(this, "Vpc")
            .vpcName(props.vpcName())
            .ipAddresses(IpAddresses.cidr(props.cidr()))
            .maxAzs(props.azCount())
            .natGateways(props.natGateways())
            .subnetConfiguration(subnets)
            .restrictDefaultSecurityGroup(false)
            .build();
    overrideCidrs(vpc.getPublicSubnets(), props.publicSubnetCidrs());
    overrideCidrs(
        props.natGateways() > 0 ? vpc.getPrivateSubnets() : vpc.getIsolatedSubnets(),
        props.privateSubnetCidrs());

    LogGroup flowLogs =
        LogGroup.Builder.create(this, "FlowLogs")
            .logGroupName("/trading-dr/vpc-flow-logs/" + props.vpcName())
            .encryptionKey(props.logKey())
            .retention(RetentionDays.ONE_YEAR)
            .removalPolicy(props.destroyable() ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN)
            .build();
    vpc.addFlowLog(
        "FlowLog",
        FlowLogOptions.builder()
            .destination(FlowLogDestination.toCloudWatchLogs(flowLogs))
            .trafficType(FlowLogTrafficType.ALL)
            .build());
    Nag.suppress(
        vpc,
        "The default security group of "
            + props.vpcName()
            + " is attached to nothing (every resource gets its own group); closing it would need a"
            + " custom-resource Lambda.",
        "PCI.DSS.321-VPCDefaultSecurityGroupClosed");

    if (props.privateSubnets()) {
      SubnetSelection privateSelection =
          SubnetSelection.builder()
              .subnetType(
                  props.natGateways() > 0
                      ? SubnetType.PRIVATE_WITH_EGRESS
                      : SubnetType.PRIVATE_ISOLATED)
              .build();
      vpc.addGatewayEndpoint(
          "S3Endpoint",
          GatewayVpcEndpointOptions.builder()
              .service(GatewayVpcEndpointAwsService.S3)
              .subnets(List.of(privateSelection))
              .build());
      vpc.addGatewayEndpoint(
          "DynamoDbEndpoint",
          GatewayVpcEndpointOptions.builder()
              .service(GatewayVpcEndpointAwsService.DYNAMODB)
              .subnets(List.of(privateSelection))
              .build());
      int i = 0;
      for (InterfaceVpcEndpointAwsService service : props.interfaceEndpoints()) {
        vpc.addInterfaceEndpoint(
            "Endpoint" + i++,
            InterfaceVpcEndpointOptions.builder()
                .service(service)
                .subnets(privateSelection)
                .privateDnsEnabled(true)
                .build());
      }
    }
    Tags.of(this).add("trading-dr:vpc", props.vpcName());
  }

  private static void overrideCidrs(List<ISubnet> subnets, List<String> cidrs) {
    if (cidrs.isEmpty()) {
      return;
    }
    if (cidrs.size() != subnets.size()) {
      throw new IllegalStateException(
          "profile lists " + cidrs.size() + " subnet CIDRs for " + subnets.size() + " subnets");
    }
    for (int i = 0; i < cidrs.size(); i++) {
      ((CfnSubnet) subnets.get(i).getNode().getDefaultChild()).setCidrBlock(cidrs.get(i));
    }
  }

  public Vpc vpc() {
    return vpc;
  }

  /** The subnets instances, databases and in-VPC functions use. */
  public SubnetSelection privateSubnets() {
    return SubnetSelection.builder()
        .subnetType(
            vpc.getPrivateSubnets().isEmpty()
                ? SubnetType.PRIVATE_ISOLATED
                : SubnetType.PRIVATE_WITH_EGRESS)
        .build();
  }
}
