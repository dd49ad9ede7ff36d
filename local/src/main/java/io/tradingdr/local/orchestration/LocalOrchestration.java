package io.tradingdr.local.orchestration;

import io.tradingdr.aws.dynamodb.ControlTableSchema;
import io.tradingdr.aws.dynamodb.DynamoDbControlStore;
import io.tradingdr.aws.health.HttpHealthProbe;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.region.RegionTopology;
import io.tradingdr.core.run.OrchestratorPorts;
import io.tradingdr.local.db.PostgresOrderLedgerSource;
import io.tradingdr.local.ops.FileNotifier;
import io.tradingdr.local.ops.LocalServiceCapacity;
import io.tradingdr.local.regions.LocalRegions;
import io.tradingdr.local.regions.LocalTopology;
import java.io.PrintWriter;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The orchestrator's ports on the local regions: PostgreSQL streaming replication, the knot DNS
 * router, the service processes as capacity, the DynamoDB Local control store (the same adapter as
 * in AWS), HTTP probes of each region's health by the two observers the detector asks for, the
 * orders tables as the RPO source, and files for notifications and RPO ledgers under the run
 * directory. The same for the supervisor's own regions and for regions attached to ({@link
 * LocalRegions#attach}).
 */
public final class LocalOrchestration implements AutoCloseable {

  /** The control table's name in the control store. */
  public static final String CONTROL_TABLE = "trading-dr-control";

  private final OrchestratorPorts ports;
  private final RoundProbes roundProbes;
  private final DynamoDbClient controlClient;

  private LocalOrchestration(
      OrchestratorPorts ports, RoundProbes roundProbes, DynamoDbClient controlClient) {
    this.ports = ports;
    this.roundProbes = roundProbes;
    this.controlClient = controlClient;
  }

  /** Builds the ports for {@code regions}; creates the control table when it is missing. */
  public static LocalOrchestration open(LocalRegions regions, Clock clock, PrintWriter terminal) {
    Objects.requireNonNull(regions, "regions");
    LocalTopology topology = regions.settings().topology();
    RegionId home = topology.primary().id();
    RegionId away = topology.secondary().id();
    DynamoDbClient control =
        DynamoDbClient.builder()
            .endpointOverride(regions.controlStoreEndpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build();
    ControlTableSchema.createTable(control, CONTROL_TABLE);
    Map<RegionId, URI> services = new LinkedHashMap<>();
    Map<RegionId, String> databases = new LinkedHashMap<>();
    for (RegionId region : List.of(home, away)) {
      services.put(region, regions.serviceEndpoint(region));
      databases.put(region, regions.replication().node(region).jdbcUrl(LocalRegions.DATABASE));
    }
    Duration interval = OrchestratorConfig.localBuilder().build().healthCheckInterval();
    List<io.tradingdr.core.port.HealthProbe> probes = new java.util.ArrayList<>();
    for (String observer :
        List.of(
            OrchestratorConfig.ENTRY_POINT_OBSERVER, OrchestratorConfig.STANDBY_SIDE_OBSERVER)) {
      // Timeout no longer than the local check interval, else a dead region's probes go stale.
      probes.add(
          new HttpHealthProbe(observer, services, HttpHealthProbe.DEFAULT_PATH, interval, clock));
    }
    RoundProbes roundProbes = new RoundProbes(probes, List.of(home, away));
    OrchestratorPorts ports =
        new OrchestratorPorts(
            new RegionTopology(home, away),
            new RecordedPostgresReplication(regions),
            regions.router(),
            new LocalServiceCapacity(regions),
            new FileNotifier(regions.settings().runDir().resolve("notifications.jsonl"), terminal),
            new DynamoDbControlStore(control, CONTROL_TABLE, clock),
            roundProbes.probes(),
            new PostgresOrderLedgerSource(databases, "postgres", Duration.ofSeconds(5)),
            new FileRpoLedgerStore(regions.settings().runDir().resolve("rpo")));
    return new LocalOrchestration(ports, roundProbes, control);
  }

  public OrchestratorPorts ports() {
    return ports;
  }

  /**
   * The ports' health probes, run concurrently once per monitor round: call {@link
   * RoundProbes#prefetch()} before each {@code HealthMonitor.tick()}, so that a round costs one
   * probe timeout, not one per observer and region.
   */
  public RoundProbes roundProbes() {
    return roundProbes;
  }

  @Override
  public void close() {
    controlClient.close();
  }
}
