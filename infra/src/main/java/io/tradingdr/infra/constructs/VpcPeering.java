package io.tradingdr.infra.constructs;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.CfnTag;
import software.amazon.awscdk.services.ec2.CfnRoute;
import software.amazon.awscdk.services.ec2.CfnVPCPeeringConnection;
import software.amazon.awscdk.services.ec2.ISubnet;
import software.amazon.awscdk.services.ec2.IVpc;
import software.constructs.Construct;

/**
 * Cross-region VPC peering, requested from the standby VPC (the primary VPC exists by then; same
 * account, so it is accepted without a peer role), with routes from every standby subnet to the
 * primary CIDR. The primary side's routes are in the primary peering-routes stack.
 */
public final class VpcPeering extends Construct {
  private final CfnVPCPeeringConnection connection;

  public VpcPeering(
      Construct scope,
      String id,
      IVpc vpc,
      String peerVpcId,
      String peerRegion,
      String peerCidr,
      String name) {
    super(scope, id);
    this.connection =
        CfnVPCPeeringConnection.Builder.create(this, "Connection")
            .vpcId(vpc.getVpcId())
            .peerVpcId(peerVpcId)
            .peerRegion(peerRegion)
            .tags(List.of(CfnTag.builder().key("Name").value(name).build()))
            .build();
    addRoutes(this, vpc, peerCidr, connection.getRef());
  }

  /** Routes from every subnet of {@code vpc} to {@code cidr} through the peering connection. */
  public static void addRoutes(Construct scope, IVpc vpc, String cidr, String peeringId) {
    int i = 0;
    List<ISubnet> subnets = new ArrayList<>(vpc.getPublicSubnets());
    subnets.addAll(vpc.getPrivateSubnets());
    subnets.addAll(vpc.getIsolatedSubnets());
    for (ISubnet subnet : subnets) {
      CfnRoute.Builder.create(scope, "PeerRoute" + i++)
          .routeTableId(subnet.getRouteTable().getRouteTableId())
          .destinationCidrBlock(cidr)
          .vpcPeeringConnectionId(peeringId)
          .build();
    }
  }

  public String connectionId() {
    return connection.getRef();
  }
}
