package io.tradingdr.aws.route53;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.route53.Route53TrafficRouter.RoutingPolicy;
import io.tradingdr.aws.testing.AwsStub;
import io.tradingdr.aws.testing.AwsStub.Response;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.RouteMode;
import io.tradingdr.core.port.RoutingState;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53recoverycluster.Route53RecoveryClusterClient;

class Route53TrafficRouterTest {

  static final RegionId EAST = RegionId.of("us-east-1");
  static final RegionId WEST = RegionId.of("us-east-2");
  static final String RECORD = "api.trading-test.example.com.";
  static final String ARC_EAST =
      "arn:aws:route53-recovery-control::123456789012:controlpanel/p/routingcontrol/east";
  static final String ARC_WEST =
      "arn:aws:route53-recovery-control::123456789012:controlpanel/p/routingcontrol/west";

  private AwsStub route53Stub;
  private AwsStub eastCloudWatch;
  private AwsStub westCloudWatch;
  private AwsStub arcStub;

  @BeforeEach
  void setUp() throws Exception {
    route53Stub = AwsStub.start();
    eastCloudWatch = AwsStub.start();
    westCloudWatch = AwsStub.start();
    arcStub = AwsStub.start();
  }

  @AfterEach
  void tearDown() {
    route53Stub.close();
    eastCloudWatch.close();
    westCloudWatch.close();
    arcStub.close();
  }

  private Route53TrafficRouter.Builder base(RoutingPolicy policy) {
    return Route53TrafficRouter.builder()
        .route53(route53Stub.settings("us-east-1").build(Route53Client.builder()))
        .hostedZoneId("Z0123456789ABC")
        .record(RECORD, RRType.A, policy)
        .region(EAST, "primary")
        .region(WEST, "standby")
        // The drain alarm of each region lives in the other region.
        .drain(
            EAST,
            "trading-drain-us-east-1",
            westCloudWatch.settings("us-east-2").build(CloudWatchClient.builder()))
        .drain(
            WEST,
            "trading-drain-us-east-2",
            eastCloudWatch.settings("us-east-1").build(CloudWatchClient.builder()))
        .pollInterval(Duration.ofMillis(10));
  }

  @Test
  void emergency_publishesTheDrainMetricInTheStandbyRegion_waitsForTheAlarm_andNeverCallsRoute53() {
    westCloudWatch.on("PutMetricData", Response.xml(putMetricDataOk()));
    westCloudWatch.on(
        "DescribeAlarms",
        alarm("trading-drain-us-east-1", "OK"),
        alarm("trading-drain-us-east-1", "ALARM"));

    base(RoutingPolicy.FAILOVER).build().routeTo(WEST, RouteMode.EMERGENCY, Duration.ofSeconds(5));

    assertThat(route53Stub.requests()).isEmpty();
    assertThat(eastCloudWatch.requests()).isEmpty();
    AwsStub.Request put = westCloudWatch.requests("PutMetricData").get(0);
    assertThat(put.headers().get("authorization")).contains("/us-east-2/monitoring/aws4_request");
    assertThat(put.params())
        .containsEntry("Namespace", "TradingDR/Routing")
        .containsEntry("MetricData.member.1.MetricName", "RegionDrained")
        .containsEntry("MetricData.member.1.Dimensions.member.1.Name", "Region")
        .containsEntry("MetricData.member.1.Dimensions.member.1.Value", "us-east-1")
        .containsEntry("MetricData.member.1.StorageResolution", "60");
    assertThat(Double.parseDouble(put.param("MetricData.member.1.Value"))).isEqualTo(1.0);
    assertThat(westCloudWatch.requests("DescribeAlarms")).hasSize(2);
    assertThat(westCloudWatch.requests("DescribeAlarms").get(0).param("AlarmNames.member.1"))
        .isEqualTo("trading-drain-us-east-1");
  }

  @Test
  void emergency_isIdempotent_whenTheOldRegionIsAlreadyDrained() {
    westCloudWatch.on("DescribeAlarms", alarm("trading-drain-us-east-1", "ALARM"));

    base(RoutingPolicy.FAILOVER).build().routeTo(WEST, RouteMode.EMERGENCY, Duration.ofSeconds(5));

    assertThat(westCloudWatch.operations()).containsExactly("DescribeAlarms");
    assertThat(route53Stub.requests()).isEmpty();
  }

  @Test
  void emergency_stopsAtItsTimeout_whenTheAlarmNeverFires() {
    westCloudWatch.on("PutMetricData", Response.xml(putMetricDataOk()));
    westCloudWatch.on("DescribeAlarms", alarm("trading-drain-us-east-1", "OK"));

    assertThatThrownBy(
            () ->
                base(RoutingPolicy.FAILOVER)
                    .build()
                    .routeTo(WEST, RouteMode.EMERGENCY, Duration.ofMillis(150)))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("drain alarm trading-drain-us-east-1 to reach ALARM not finished")
        .hasMessageContaining("last seen: OK");
  }

  @Test
  void emergency_setsArcRoutingControls_tryingEachClusterEndpointInTurn() throws Exception {
    URI dead = URI.create("http://127.0.0.1:" + closedPort());
    arcStub.on("UpdateRoutingControlStates", Response.json("{}"));
    Route53TrafficRouter router =
        Route53TrafficRouter.builder()
            .route53(route53Stub.settings("us-east-1").build(Route53Client.builder()))
            .hostedZoneId("Z0123456789ABC")
            .record(RECORD, RRType.A, RoutingPolicy.FAILOVER)
            .region(EAST, "primary")
            .region(WEST, "standby")
            .arcEndpoint(dead, arcClient(dead, "us-west-2"))
            .arcEndpoint(arcStub.endpoint(), arcClient(arcStub.endpoint(), "ap-northeast-1"))
            .routingControl(EAST, ARC_EAST)
            .routingControl(WEST, ARC_WEST)
            .pollInterval(Duration.ofMillis(10))
            .build();

    router.routeTo(WEST, RouteMode.EMERGENCY, Duration.ofSeconds(5));

    assertThat(route53Stub.requests()).isEmpty();
    AwsStub.Request update = arcStub.requests("UpdateRoutingControlStates").get(0);
    assertThat(update.headers().get("x-amz-target"))
        .isEqualTo("ToggleCustomerAPI.UpdateRoutingControlStates");
    assertThat(update.body())
        .contains("\"RoutingControlArn\":\"" + ARC_WEST + "\",\"RoutingControlState\":\"On\"")
        .contains("\"RoutingControlArn\":\"" + ARC_EAST + "\",\"RoutingControlState\":\"Off\"");
  }

  @Test
  void emergency_stillDrainsByMetric_whenNoArcEndpointAnswers_thenReportsTheArcFailure()
      throws Exception {
    URI dead = URI.create("http://127.0.0.1:" + closedPort());
    westCloudWatch.on("PutMetricData", Response.xml(putMetricDataOk()));
    westCloudWatch.on(
        "DescribeAlarms",
        alarm("trading-drain-us-east-1", "OK"),
        alarm("trading-drain-us-east-1", "ALARM"));
    Route53TrafficRouter router =
        base(RoutingPolicy.FAILOVER)
            .arcEndpoint(dead, arcClient(dead, "us-west-2"))
            .routingControl(EAST, ARC_EAST)
            .routingControl(WEST, ARC_WEST)
            .build();

    assertThatThrownBy(() -> router.routeTo(WEST, RouteMode.EMERGENCY, Duration.ofSeconds(5)))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining("EMERGENCY routing to us-east-2 incomplete")
        .hasMessageContaining("no ARC cluster endpoint took the call");
    assertThat(westCloudWatch.requests("PutMetricData")).hasSize(1);
    assertThat(route53Stub.requests()).isEmpty();
  }

  @Test
  void
      planned_weighted_liftsTheTargetsDrain_flipsWeights100To0_keepingTheRestOfTheRecord_andWaitsForInsync() {
    eastCloudWatch.on("PutMetricData", Response.xml(putMetricDataOk()));
    eastCloudWatch.on(
        "DescribeAlarms",
        alarm("trading-drain-us-east-2", "ALARM"),
        alarm("trading-drain-us-east-2", "ALARM"),
        alarm("trading-drain-us-east-2", "OK"));
    route53Stub.on(
        "GET /hostedzone/Z0123456789ABC/rrset",
        recordSets(weighted("primary", 100, "primary-alb"), weighted("standby", 0, "standby-alb")));
    route53Stub.on(
        "POST /hostedzone/Z0123456789ABC/rrset/",
        Response.xml(changeInfo("ChangeResourceRecordSetsResponse", "C123", "PENDING")));
    route53Stub.on(
        "GET /change/C123",
        Response.xml(changeInfo("GetChangeResponse", "C123", "PENDING")),
        Response.xml(changeInfo("GetChangeResponse", "C123", "INSYNC")));

    base(RoutingPolicy.WEIGHTED).build().routeTo(WEST, RouteMode.PLANNED, Duration.ofSeconds(5));

    String change = route53Stub.requests("POST /hostedzone/Z0123456789ABC/rrset/").get(0).body();
    assertThat(change)
        .contains("<Action>UPSERT</Action>")
        .contains("<SetIdentifier>primary</SetIdentifier><Weight>0</Weight>")
        .contains("<SetIdentifier>standby</SetIdentifier><Weight>100</Weight>")
        .contains("<DNSName>standby-alb.us-east-2.elb.amazonaws.com.</DNSName>")
        .contains("<HealthCheckId>hc-standby</HealthCheckId>");
    assertThat(route53Stub.requests("GET /change/C123")).hasSize(2);
    // The target's own drain is lifted first (its alarm lives in the other region).
    assertThat(
            Double.parseDouble(
                eastCloudWatch.requests("PutMetricData").get(0).param("MetricData.member.1.Value")))
        .isEqualTo(0.0);
  }

  @Test
  void planned_failover_swapsPrimaryAndSecondary() {
    eastCloudWatch.on("PutMetricData", Response.xml(putMetricDataOk()));
    eastCloudWatch.on("DescribeAlarms", alarm("trading-drain-us-east-2", "OK"));
    route53Stub.on(
        "GET /hostedzone/Z0123456789ABC/rrset",
        recordSets(
            failover("primary", "PRIMARY", "primary-alb"),
            failover("standby", "SECONDARY", "standby-alb")));
    route53Stub.on(
        "POST /hostedzone/Z0123456789ABC/rrset/",
        Response.xml(changeInfo("ChangeResourceRecordSetsResponse", "C9", "INSYNC")));
    route53Stub.on("GET /change/C9", Response.xml(changeInfo("GetChangeResponse", "C9", "INSYNC")));

    base(RoutingPolicy.FAILOVER).build().routeTo(WEST, RouteMode.PLANNED, Duration.ofSeconds(5));

    assertThat(eastCloudWatch.requests("PutMetricData")).as("no drain to lift").isEmpty();
    String change = route53Stub.requests("POST /hostedzone/Z0123456789ABC/rrset/").get(0).body();
    assertThat(change)
        .contains("<SetIdentifier>primary</SetIdentifier><Failover>SECONDARY</Failover>")
        .contains("<SetIdentifier>standby</SetIdentifier><Failover>PRIMARY</Failover>");
  }

  @Test
  void planned_isIdempotent_whenTheRecordsAlreadyRouteToTheTarget() {
    eastCloudWatch.on("PutMetricData", Response.xml(putMetricDataOk()));
    eastCloudWatch.on("DescribeAlarms", alarm("trading-drain-us-east-2", "OK"));
    route53Stub.on(
        "GET /hostedzone/Z0123456789ABC/rrset",
        recordSets(weighted("primary", 0, "primary-alb"), weighted("standby", 100, "standby-alb")));

    base(RoutingPolicy.WEIGHTED).build().routeTo(WEST, RouteMode.PLANNED, Duration.ofSeconds(5));

    assertThat(route53Stub.operations()).containsExactly("GET /hostedzone/Z0123456789ABC/rrset");
  }

  @Test
  void planned_retriesThrottling_thenSucceeds() {
    eastCloudWatch.on("PutMetricData", Response.xml(putMetricDataOk()));
    eastCloudWatch.on("DescribeAlarms", alarm("trading-drain-us-east-2", "OK"));
    route53Stub.on(
        "GET /hostedzone/Z0123456789ABC/rrset",
        recordSets(weighted("primary", 100, "primary-alb"), weighted("standby", 0, "standby-alb")));
    route53Stub.on(
        "POST /hostedzone/Z0123456789ABC/rrset/",
        Response.xmlError(400, "Throttling", "Rate exceeded"),
        Response.xml(changeInfo("ChangeResourceRecordSetsResponse", "C1", "INSYNC")));
    route53Stub.on("GET /change/C1", Response.xml(changeInfo("GetChangeResponse", "C1", "INSYNC")));

    base(RoutingPolicy.WEIGHTED).build().routeTo(WEST, RouteMode.PLANNED, Duration.ofSeconds(5));

    assertThat(route53Stub.requests("POST /hostedzone/Z0123456789ABC/rrset/")).hasSize(2);
  }

  @Test
  void planned_accessDenied_isARefusalWithItsReason() {
    eastCloudWatch.on("PutMetricData", Response.xml(putMetricDataOk()));
    eastCloudWatch.on("DescribeAlarms", alarm("trading-drain-us-east-2", "OK"));
    route53Stub.on(
        "GET /hostedzone/Z0123456789ABC/rrset",
        recordSets(weighted("primary", 100, "primary-alb"), weighted("standby", 0, "standby-alb")));
    route53Stub.on(
        "POST /hostedzone/Z0123456789ABC/rrset/",
        Response.xmlError(
            403, "AccessDenied", "not authorized to perform route53:ChangeResourceRecordSets"));

    assertThatThrownBy(
            () ->
                base(RoutingPolicy.WEIGHTED)
                    .build()
                    .routeTo(WEST, RouteMode.PLANNED, Duration.ofSeconds(5)))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("route53:ChangeResourceRecordSets AccessDenied: not authorized");
  }

  @Test
  void current_reportsWeights_andCountsADrainedRegionAsZero() {
    route53Stub.on(
        "GET /hostedzone/Z0123456789ABC/rrset",
        recordSets(
            failover("primary", "PRIMARY", "primary-alb"),
            failover("standby", "SECONDARY", "standby-alb")));
    westCloudWatch.on("DescribeAlarms", alarm("trading-drain-us-east-1", "ALARM"));
    eastCloudWatch.on("DescribeAlarms", alarm("trading-drain-us-east-2", "OK"));

    RoutingState state = base(RoutingPolicy.FAILOVER).build().current();

    assertThat(state.weights()).isEqualTo(Map.of(EAST, 0, WEST, 100));
    assertThat(state.active()).contains(WEST);
    assertThat(state.detail()).contains("us-east-1 drain alarm ALARM");
  }

  @Test
  void current_isARefusal_whenARegionsRecordSetIsMissing() {
    route53Stub.on(
        "GET /hostedzone/Z0123456789ABC/rrset",
        recordSets(weighted("primary", 100, "primary-alb")));

    assertThatThrownBy(() -> base(RoutingPolicy.WEIGHTED).build().current())
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining(
            "set identifier 'standby' (us-east-2) is not in hosted zone Z0123456789ABC");
  }

  @Test
  void builder_refusesEmergencyConfigurationWithoutAnyRegion() {
    assertThatThrownBy(
            () ->
                Route53TrafficRouter.builder()
                    .route53(route53Stub.settings("us-east-1").build(Route53Client.builder()))
                    .hostedZoneId("Z0123456789ABC")
                    .record(RECORD, RRType.A, RoutingPolicy.WEIGHTED)
                    .region(EAST, "primary")
                    .build())
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("exactly 2 regions");
  }

  private Route53RecoveryClusterClient arcClient(URI endpoint, String region) {
    return arcStub.settings(region).toBuilder()
        .endpointOverride(endpoint)
        .maxAttempts(1)
        .build()
        .build(Route53RecoveryClusterClient.builder());
  }

  private static int closedPort() throws Exception {
    try (java.net.ServerSocket s =
        new java.net.ServerSocket(0, 0, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  static String putMetricDataOk() {
    return "<PutMetricDataResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\">"
        + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PutMetricDataResponse>";
  }

  static Response alarm(String name, String state) {
    return Response.xml(
        "<DescribeAlarmsResponse xmlns=\"http://monitoring.amazonaws.com/doc/2010-08-01/\"><DescribeAlarmsResult>"
            + "<MetricAlarms><member><AlarmName>"
            + name
            + "</AlarmName><StateValue>"
            + state
            + "</StateValue></member></MetricAlarms><CompositeAlarms/></DescribeAlarmsResult>"
            + "<ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></DescribeAlarmsResponse>");
  }

  static String weighted(String id, int weight, String alb) {
    return "<ResourceRecordSet><Name>"
        + RECORD
        + "</Name><Type>A</Type><SetIdentifier>"
        + id
        + "</SetIdentifier><Weight>"
        + weight
        + "</Weight>"
        + alias(id, alb)
        + "</ResourceRecordSet>";
  }

  static String failover(String id, String role, String alb) {
    return "<ResourceRecordSet><Name>"
        + RECORD
        + "</Name><Type>A</Type><SetIdentifier>"
        + id
        + "</SetIdentifier><Failover>"
        + role
        + "</Failover>"
        + alias(id, alb)
        + "</ResourceRecordSet>";
  }

  private static String alias(String id, String alb) {
    String region = id.equals("primary") ? "us-east-1" : "us-east-2";
    return "<AliasTarget><HostedZoneId>Z35SXDOTRQ7X7K</HostedZoneId><DNSName>"
        + alb
        + "."
        + region
        + ".elb.amazonaws.com.</DNSName><EvaluateTargetHealth>true</EvaluateTargetHealth></AliasTarget><HealthCheckId>hc-"
        + id
        + "</HealthCheckId>";
  }

  static Response recordSets(String... sets) {
    return Response.xml(
        "<ListResourceRecordSetsResponse xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ResourceRecordSets>"
            + String.join("", sets)
            + "</ResourceRecordSets><IsTruncated>false</IsTruncated><MaxItems>100</MaxItems></ListResourceRecordSetsResponse>");
  }

  static String changeInfo(String root, String id, String status) {
    return "<"
        + root
        + " xmlns=\"https://route53.amazonaws.com/doc/2013-04-01/\"><ChangeInfo><Id>/change/"
        + id
        + "</Id><Status>"
        + status
        + "</Status><SubmittedAt>2026-01-05T10:00:00Z</SubmittedAt></ChangeInfo></"
        + root
        + ">";
  }
}
