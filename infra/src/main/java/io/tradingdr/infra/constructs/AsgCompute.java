package io.tradingdr.infra.constructs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import software.amazon.awscdk.Annotations;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthCheckType;
import software.amazon.awscdk.services.autoscaling.AdditionalHealthChecksOptions;
import software.amazon.awscdk.services.autoscaling.AutoScalingGroup;
import software.amazon.awscdk.services.autoscaling.CpuUtilizationScalingProps;
import software.amazon.awscdk.services.autoscaling.HealthChecks;
import software.amazon.awscdk.services.autoscaling.NotificationConfiguration;
import software.amazon.awscdk.services.ec2.BlockDevice;
import software.amazon.awscdk.services.ec2.BlockDeviceVolume;
import software.amazon.awscdk.services.ec2.EbsDeviceOptions;
import software.amazon.awscdk.services.ec2.EbsDeviceVolumeType;
import software.amazon.awscdk.services.ec2.IVpc;
import software.amazon.awscdk.services.ec2.InstanceType;
import software.amazon.awscdk.services.ec2.LaunchTemplate;
import software.amazon.awscdk.services.ec2.LaunchTemplateHttpTokens;
import software.amazon.awscdk.services.ec2.MachineImage;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.UserData;
import software.amazon.awscdk.services.elasticloadbalancingv2.AddApplicationTargetsProps;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationProtocol;
import software.amazon.awscdk.services.elasticloadbalancingv2.ApplicationTargetGroup;
import software.amazon.awscdk.services.elasticloadbalancingv2.HealthCheck;
import software.amazon.awscdk.services.iam.PolicyStatement;
import software.amazon.awscdk.services.iam.Role;
import software.amazon.awscdk.services.iam.ServicePrincipal;
import software.amazon.awscdk.services.s3.assets.Asset;
import software.amazon.awscdk.services.sns.ITopic;
import software.constructs.Construct;

/**
 * The trading service on EC2: a launch template (Amazon Linux 2023, IMDSv2 only, encrypted root
 * volume) whose user data installs the JDK from the AMI's own repositories, fetches the service jar
 * asset from S3 and starts it under systemd with the TDR_* variables; an Auto Scaling group behind
 * the ALB (ELB health checks on /health), scaling on CPU, notifying the region's topic.
 */
public final class AsgCompute extends Construct {
  public static final int SERVICE_PORT = 8080;

  private final AutoScalingGroup asg;
  private final ApplicationTargetGroup targetGroup;
  private final SecurityGroup instanceSecurityGroup;

  /** Properties of the service fleet. */
  public record Props(
      String asgName,
      String targetGroupName,
      String roleName,
      String policyName,
      IVpc vpc,
      SubnetSelection subnets,
      PublicAlb alb,
      String instanceType,
      int min,
      int desired,
      int max,
      int cpuTargetPercent,
      int albHealthCheckIntervalSeconds,
      Path serviceJar,
      String region,
      Map<String, String> environment,
      List<PolicyStatement> statements,
      List<String> allowedRegions,
      ITopic topic) {}

  public AsgCompute(Construct scope, String id, Props props) {
    super(scope, id);
    Asset jar =
        Asset.Builder.create(this, "ServiceJar").path(props.serviceJar().toString()).build();

    Role role =
        Role.Builder.create(this, "InstanceRole")
            .roleName(props.roleName())
            .assumedBy(new ServicePrincipal("ec2.amazonaws.com"))
            .description("Trading service instances in " + props.asgName())
            .build();
    List<PolicyStatement> statements = new ArrayList<>(props.statements());
    statements.add(
        Iam.allow(
            List.of("s3:GetObject"),
            List.of("arn:aws:s3:::" + jar.getS3BucketName() + "/" + jar.getS3ObjectKey())));
    Iam.policy(this, "Policy", props.policyName(), role, statements, props.allowedRegions());

    this.instanceSecurityGroup =
        SecurityGroup.Builder.create(this, "InstanceSecurityGroup")
            .vpc(props.vpc())
            .description("Trading service instances: port 8080 from the ALB only")
            .allowAllOutbound(true)
            .build();
    instanceSecurityGroup.addIngressRule(
        props.alb().securityGroup(), Port.tcp(SERVICE_PORT), "Service port from the ALB");

    UserData userData = UserData.forLinux();
    userData.addCommands(bootScript(props, jar));

    LaunchTemplate template =
        LaunchTemplate.Builder.create(this, "LaunchTemplate")
            .launchTemplateName(props.asgName())
            .machineImage(MachineImage.latestAmazonLinux2023())
            .instanceType(new InstanceType(props.instanceType()))
            .requireImdsv2(true)
            .httpTokens(LaunchTemplateHttpTokens.REQUIRED)
            .httpPutResponseHopLimit(1)
            .securityGroup(instanceSecurityGroup)
            .role(role)
            .userData(userData)
            .blockDevices(
                List.of(
                    BlockDevice.builder()
                        .deviceName("/dev/xvda")
                        .volume(
                            BlockDeviceVolume.ebs(
                                20,
                                EbsDeviceOptions.builder()
                                    .encrypted(true)
                                    .volumeType(EbsDeviceVolumeType.GP3)
                                    .deleteOnTermination(true)
                                    .build()))
                        .build()))
            .build();

    this.asg =
        AutoScalingGroup.Builder.create(this, "Asg")
            .autoScalingGroupName(props.asgName())
            .vpc(props.vpc())
            .vpcSubnets(props.subnets())
            .launchTemplate(template)
            .minCapacity(props.min())
            .desiredCapacity(props.desired())
            .maxCapacity(props.max())
            .healthChecks(
                HealthChecks.withAdditionalChecks(
                    AdditionalHealthChecksOptions.builder()
                        .additionalTypes(List.of(AdditionalHealthCheckType.ELB))
                        .gracePeriod(Duration.minutes(5))
                        .build()))
            .notifications(
                List.of(NotificationConfiguration.builder().topic(props.topic()).build()))
            .build();
    // The documents fix the desired capacities; a deploy resetting them is accepted, since
    // failover scale-up happens at run time and a deploy is a planned operation.
    Annotations.of(asg)
        .acknowledgeWarning(
            "@aws-cdk/aws-autoscaling:desiredCapacitySet",
            "Desired capacity is a documented number of the profile");
    asg.scaleOnCpuUtilization(
        "CpuScaling",
        CpuUtilizationScalingProps.builder()
            .targetUtilizationPercent(props.cpuTargetPercent())
            .build());

    this.targetGroup =
        props
            .alb()
            .httpsListener()
            .addTargets(
                "Service",
                AddApplicationTargetsProps.builder()
                    .targetGroupName(props.targetGroupName())
                    .port(SERVICE_PORT)
                    .protocol(ApplicationProtocol.HTTP)
                    .targets(List.of(asg))
                    .deregistrationDelay(Duration.seconds(30))
                    .healthCheck(
                        HealthCheck.builder()
                            .path("/health")
                            .interval(Duration.seconds(props.albHealthCheckIntervalSeconds()))
                            .timeout(Duration.seconds(5))
                            .healthyThresholdCount(2)
                            .unhealthyThresholdCount(3)
                            .build())
                    .build());
  }

  private static String bootScript(Props props, Asset jar) {
    Map<String, String> env = new TreeMap<>(props.environment());
    StringBuilder envFile = new StringBuilder();
    env.forEach((k, v) -> envFile.append(k).append('=').append(v).append('\n'));
    // AL2023 serves its dnf repositories from S3, so this works through the S3 gateway endpoint
    // when the subnet has no NAT.
    return String.join(
        "\n",
        "set -euo pipefail",
        "dnf install -y java-21-amazon-corretto-headless",
        "id trading >/dev/null 2>&1 || useradd --system --home-dir /opt/trading trading",
        "mkdir -p /opt/trading /etc/trading-dr",
        "aws s3 cp --region "
            + props.region()
            + " s3://"
            + jar.getS3BucketName()
            + "/"
            + jar.getS3ObjectKey()
            + " /opt/trading/trading-service.jar",
        "cat > /etc/trading-dr/service.env <<'ENV'",
        envFile.toString().strip(),
        "ENV",
        "cat > /etc/systemd/system/trading-service.service <<'UNIT'",
        "[Unit]",
        "Description=Trading DR trading service",
        "After=network-online.target",
        "Wants=network-online.target",
        "[Service]",
        "User=trading",
        "WorkingDirectory=/opt/trading",
        "EnvironmentFile=/etc/trading-dr/service.env",
        "ExecStart=/usr/bin/java -jar /opt/trading/trading-service.jar",
        "Restart=always",
        "RestartSec=2",
        "[Install]",
        "WantedBy=multi-user.target",
        "UNIT",
        "systemctl daemon-reload",
        "systemctl enable --now trading-service");
  }

  public AutoScalingGroup asg() {
    return asg;
  }

  public ApplicationTargetGroup targetGroup() {
    return targetGroup;
  }

  public SecurityGroup instanceSecurityGroup() {
    return instanceSecurityGroup;
  }
}
