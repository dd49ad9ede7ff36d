package io.tradingdr.infra.constructs;

import io.tradingdr.infra.config.ProfileSpec.DatabaseKind;
import io.tradingdr.infra.config.RegionRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.RemovalPolicy;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.Peer;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.kms.IKey;
import software.amazon.awscdk.services.kms.Key;
import software.amazon.awscdk.services.rds.AuroraMysqlClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraMysqlEngineVersion;
import software.amazon.awscdk.services.rds.AuroraPostgresClusterEngineProps;
import software.amazon.awscdk.services.rds.AuroraPostgresEngineVersion;
import software.amazon.awscdk.services.rds.BackupProps;
import software.amazon.awscdk.services.rds.CfnDBCluster;
import software.amazon.awscdk.services.rds.CfnGlobalCluster;
import software.amazon.awscdk.services.rds.ClusterInstance;
import software.amazon.awscdk.services.rds.Credentials;
import software.amazon.awscdk.services.rds.CredentialsFromUsernameOptions;
import software.amazon.awscdk.services.rds.DatabaseCluster;
import software.amazon.awscdk.services.rds.DatabaseClusterEngine;
import software.amazon.awscdk.services.rds.IClusterEngine;
import software.amazon.awscdk.services.rds.IClusterInstance;
import software.amazon.awscdk.services.rds.ParameterGroup;
import software.amazon.awscdk.services.rds.ProvisionedClusterInstanceProps;
import software.amazon.awscdk.services.secretsmanager.HostedRotation;
import software.amazon.awscdk.services.secretsmanager.ReplicaRegion;
import software.amazon.awscdk.services.secretsmanager.RotationScheduleOptions;
import software.amazon.awscdk.services.secretsmanager.SingleUserHostedRotationOptions;
import software.constructs.Construct;

/**
 * Aurora global database. In the primary: the writer cluster (credentials generated into Secrets
 * Manager, replicated to the standby region, rotated every 30 days by the hosted rotation function)
 * and the global cluster built from it. In the standby: a secondary cluster joined to the global
 * cluster, promotable by FailoverGlobalCluster / SwitchoverGlobalCluster; it has no credentials of
 * its own (they come from the global cluster).
 */
public final class AuroraDatabase extends Construct {
  public static final String DATABASE_NAME = "trading";
  public static final String MASTER_USER = "trading_admin";

  /** Document 003's version; the CDK constant for it is deprecated, so it is named here. */
  public static final String POSTGRES_VERSION = "15.4";

  private final DatabaseCluster cluster;
  private final SecurityGroup securityGroup;
  private final int port;

  /** Properties of one side of the global database. */
  public record Props(
      RegionRole role,
      DatabaseKind kind,
      String clusterIdentifier,
      String globalClusterIdentifier,
      String secretName,
      String instanceClass,
      int instances,
      int backupRetentionDays,
      boolean performanceInsights,
      IVpc vpc,
      SubnetSelection subnets,
      List<String> clientCidrs,
      IKey key,
      String standbyRegion,
      String standbyKeyArn,
      boolean destroyable) {}

  public AuroraDatabase(Construct scope, String id, Props props) {
    super(scope, id);
    boolean mysql = props.kind() == DatabaseKind.AURORA_MYSQL;
    this.port = mysql ? 3307 : 5433;
    IClusterEngine engine =
        mysql
            ? DatabaseClusterEngine.auroraMysql(
                AuroraMysqlClusterEngineProps.builder()
                    .version(AuroraMysqlEngineVersion.VER_3_08_2)
                    .build())
            : DatabaseClusterEngine.auroraPostgres(
                AuroraPostgresClusterEngineProps.builder()
                    .version(AuroraPostgresEngineVersion.of(POSTGRES_VERSION, "15"))
                    .build());

    this.securityGroup =
        SecurityGroup.Builder.create(this, "SecurityGroup")
            .vpc(props.vpc())
            .description("Aurora " + props.clusterIdentifier() + ": database port from the VPCs")
            .allowAllOutbound(false)
            .build();
    for (String cidr : props.clientCidrs()) {
      securityGroup.addIngressRule(Peer.ipv4(cidr), Port.tcp(port), "Database clients in " + cidr);
    }

    ParameterGroup parameters =
        ParameterGroup.Builder.create(this, "Parameters")
            .engine(engine)
            .description("Trading DR " + props.clusterIdentifier())
            .parameters(
                mysql
                    ? Map.of(
                        "server_audit_logging", "1",
                        "server_audit_events", "CONNECT,QUERY_DCL,QUERY_DDL",
                        "slow_query_log", "1",
                        "general_log", "1")
                    : Map.of("log_connections", "1", "log_disconnections", "1"))
            .build();

    String instanceType = props.instanceClass().replaceFirst("^db\\.", "");
    List<IClusterInstance> readers = new ArrayList<>();
    for (int i = 1; i < props.instances(); i++) {
      readers.add(ClusterInstance.provisioned("Reader" + i, instance(instanceType, props)));
    }
    DatabaseCluster.Builder builder =
        DatabaseCluster.Builder.create(this, "Cluster")
            .engine(engine)
            .clusterIdentifier(props.clusterIdentifier())
            .writer(ClusterInstance.provisioned("Writer", instance(instanceType, props)))
            .readers(readers)
            .vpc(props.vpc())
            .vpcSubnets(props.subnets())
            .securityGroups(List.of(securityGroup))
            .port(port)
            .storageEncrypted(true)
            .storageEncryptionKey(props.key())
            .backup(
                BackupProps.builder()
                    .retention(Duration.days(props.backupRetentionDays()))
                    .preferredWindow("03:00-04:00")
                    .build())
            .cloudwatchLogsExports(
                mysql ? List.of("audit", "error", "general", "slowquery") : List.of("postgresql"))
            .iamAuthentication(true)
            .parameterGroup(parameters)
            .deletionProtection(!props.destroyable())
            .removalPolicy(props.destroyable() ? RemovalPolicy.DESTROY : RemovalPolicy.SNAPSHOT);
    if (props.role() == RegionRole.PRIMARY) {
      builder
          .defaultDatabaseName(DATABASE_NAME)
          .credentials(
              Credentials.fromGeneratedSecret(
                  MASTER_USER,
                  CredentialsFromUsernameOptions.builder()
                      .secretName(props.secretName())
                      .encryptionKey(props.key())
                      .replicaRegions(
                          List.of(
                              ReplicaRegion.builder()
                                  .region(props.standbyRegion())
                                  .encryptionKey(
                                      Key.fromKeyArn(this, "StandbyKey", props.standbyKeyArn()))
                                  .build()))
                      .build()));
    }
    this.cluster = builder.build();

    if (props.role() == RegionRole.PRIMARY) {
      CfnGlobalCluster.Builder.create(this, "GlobalCluster")
          .globalClusterIdentifier(props.globalClusterIdentifier())
          .sourceDbClusterIdentifier(cluster.getClusterIdentifier())
          .deletionProtection(!props.destroyable())
          .build();
      SecurityGroup rotation =
          SecurityGroup.Builder.create(this, "RotationSecurityGroup")
              .vpc(props.vpc())
              .description("Secret rotation of " + props.clusterIdentifier())
              .allowAllOutbound(true)
              .build();
      securityGroup.addIngressRule(rotation, Port.tcp(port), "Secret rotation function");
      cluster
          .getSecret()
          .addRotationSchedule(
              "Rotation",
              RotationScheduleOptions.builder()
                  .automaticallyAfter(Duration.days(30))
                  .hostedRotation(
                      mysql
                          ? HostedRotation.mysqlSingleUser(rotationOptions(props, rotation))
                          : HostedRotation.postgreSqlSingleUser(rotationOptions(props, rotation)))
                  .build());
    } else {
      // A secondary takes engine, credentials and database from the global cluster.
      CfnDBCluster cfn = (CfnDBCluster) cluster.getNode().getDefaultChild();
      cfn.setGlobalClusterIdentifier(props.globalClusterIdentifier());
      cfn.addPropertyDeletionOverride("MasterUsername");
      cfn.addPropertyDeletionOverride("MasterUserPassword");
      cluster.getNode().tryRemoveChild("Secret");
    }
    if (props.destroyable()) {
      Nag.suppress(
          cluster,
          "Cluster "
              + props.clusterIdentifier()
              + " belongs to a test environment synthesized with destroyable=true; production"
              + " synthesis keeps deletion protection on.",
          "AwsSolutions-RDS10");
    }
    if (mysql) {
      Nag.suppress(
          cluster,
          "Cluster "
              + props.clusterIdentifier()
              + " is part of a global database, and Aurora does not support Backtrack for global"
              + " databases; point-in-time restore from the 7-day backups covers it.",
          "AwsSolutions-RDS14");
    }
  }

  private static ProvisionedClusterInstanceProps instance(String instanceType, Props props) {
    ProvisionedClusterInstanceProps.Builder builder =
        ProvisionedClusterInstanceProps.builder()
            .instanceType(new InstanceType(instanceType))
            .publiclyAccessible(false)
            .autoMinorVersionUpgrade(true);
    if (props.performanceInsights()) {
      builder.enablePerformanceInsights(true).performanceInsightEncryptionKey(props.key());
    }
    return builder.build();
  }

  private static SingleUserHostedRotationOptions rotationOptions(
      Props props, SecurityGroup rotation) {
    return SingleUserHostedRotationOptions.builder()
        .functionName(props.clusterIdentifier() + "-rotation")
        .vpc(props.vpc())
        .vpcSubnets(props.subnets())
        .securityGroups(List.of(rotation))
        .build();
  }

  public DatabaseCluster cluster() {
    return cluster;
  }

  public int port() {
    return port;
  }

  public SecurityGroup securityGroup() {
    return securityGroup;
  }

  /** The JDBC URL of this side's cluster endpoint. */
  public String jdbcUrl(DatabaseKind kind) {
    String scheme = kind == DatabaseKind.AURORA_MYSQL ? "mysql" : "postgresql";
    return "jdbc:"
        + scheme
        + "://"
        + cluster.getClusterEndpoint().getHostname()
        + ":"
        + port
        + "/"
        + DATABASE_NAME;
  }
}
