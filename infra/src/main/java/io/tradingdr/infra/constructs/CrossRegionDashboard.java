package io.tradingdr.infra.constructs;

import io.tradingdr.infra.config.InfraConfig;
import io.tradingdr.infra.config.Naming;
import io.tradingdr.infra.config.ProfileSpec;
import io.tradingdr.infra.config.RegionRole;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.Duration;
import software.amazon.awscdk.services.cloudwatch.Dashboard;
import software.amazon.awscdk.services.cloudwatch.GraphWidget;
import software.amazon.awscdk.services.cloudwatch.IMetric;
import software.amazon.awscdk.services.cloudwatch.Metric;
import software.constructs.Construct;

/**
 * One dashboard with both regions side by side: the health monitor's readiness per region, the
 * drain switches, Aurora global replication lag, DynamoDB replication latency, Lambda errors.
 */
public final class CrossRegionDashboard extends Construct {

  public CrossRegionDashboard(Construct scope, String id, InfraConfig config, Naming naming) {
    super(scope, id);
    List<IMetric> readiness = new ArrayList<>();
    List<IMetric> drains = new ArrayList<>();
    for (RegionRole role : RegionRole.values()) {
      for (RegionRole observer : RegionRole.values()) {
        readiness.add(
            metric(
                Orchestration.HEALTH_NAMESPACE,
                Orchestration.HEALTH_METRIC,
                Map.of(
                    "Region",
                    config.region(role),
                    "Observer",
                    "monitor-" + config.region(observer)),
                config.region(observer),
                role.word() + " seen from " + observer.word()));
      }
      drains.add(
          metric(
              DrainSwitch.NAMESPACE,
              DrainSwitch.METRIC,
              Map.of(DrainSwitch.DIMENSION, config.region(role)),
              config.region(role.other()),
              "drain " + role.word()));
    }
    String sessions = naming.table(config.spec().data().sessionsTablePurpose());
    List<IMetric> replication = new ArrayList<>();
    replication.add(
        metric(
            "AWS/DynamoDB",
            "ReplicationLatency",
            Map.of("TableName", sessions, "ReceivingRegion", config.standbyRegion()),
            config.primaryRegion(),
            "sessions replication latency (ms)"));
    if (config.spec().data().database() != ProfileSpec.DatabaseKind.NONE) {
      replication.add(
          metric(
              "AWS/RDS",
              "AuroraGlobalDBReplicationLag",
              Map.of(
                  "DBClusterIdentifier",
                  naming.regional("orders", RegionRole.STANDBY, config.standbyRegion())),
              config.standbyRegion(),
              "Aurora global replication lag (ms)"));
    }
    Dashboard.Builder.create(this, "Dashboard")
        .dashboardName(naming.global("dr"))
        .widgets(
            List.of(
                List.of(
                    GraphWidget.Builder.create()
                        .title("Region readiness")
                        .left(readiness)
                        .width(12)
                        .build(),
                    GraphWidget.Builder.create()
                        .title("Drain switches")
                        .left(drains)
                        .width(12)
                        .build()),
                List.of(
                    GraphWidget.Builder.create()
                        .title("Replication")
                        .left(replication)
                        .width(24)
                        .build())))
        .build();
  }

  private static Metric metric(
      String namespace, String name, Map<String, String> dimensions, String region, String label) {
    return Metric.Builder.create()
        .namespace(namespace)
        .metricName(name)
        .dimensionsMap(dimensions)
        .region(region)
        .label(label)
        .statistic("Maximum")
        .period(Duration.minutes(1))
        .build();
  }
}
