package io.tradingdr.aws.wiring;

import io.tradingdr.aws.reconcile.ServiceOrderReconciliation;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.port.CapacityManager;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.region.RegionTopology;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.OrderLedgerSource;
import io.tradingdr.core.rpo.OrderReconciliation;
import io.tradingdr.core.run.OrchestratorPorts;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Turns {@link AwsAdapters} into what the core orchestrator runs on: its ports and its settings.
 * Shared by the orchestrator Lambda and drctl's {@code aws} target, so both run the same wiring.
 */
public final class OrchestratorWiring {

  /** Why the RPO ledger source refuses when no order store is configured. */
  static final String NO_ORDER_STORE =
      "the RPO ledger reads the orders from Aurora (TDR_GLOBAL_CLUSTER_ID,"
          + " TDR_PRIMARY_DB_CLUSTER_ARN, TDR_STANDBY_DB_CLUSTER_ARN) or from the DynamoDB orders"
          + " table (TDR_ORDERS_TABLE); neither is configured";

  /** Why replaying or cancelling orders refuses on AWS. */
  static final String NO_ORDER_WRITES =
      "the aws target knows no trading service URL to replay or cancel the ledger's orders"
          + " through: set TDR_MONITOR_TARGETS (region=https://service-url pairs, the health"
          + " monitor's targets), or submit them again (same clientOrderId, so a replay is"
          + " idempotent) through the current writer's order API, using the ledger report that"
          + " 'drctl reconcile' wrote";

  private OrchestratorWiring() {}

  /**
   * The orchestrator's ports: the primary is the home region, the standby the away region. The
   * order database is required, Aurora or a DynamoDB global table (nothing can be promoted without
   * it); without Auto Scaling groups capacity is not managed (the serverless profiles scale on
   * demand). RPO ledgers are kept in the control table.
   */
  public static OrchestratorPorts ports(AwsAdapters adapters) {
    if (adapters.replication().isEmpty()) {
      throw new IllegalArgumentException(
          "the orchestrator needs the order database: set TDR_GLOBAL_CLUSTER_ID,"
              + " TDR_PRIMARY_DB_CLUSTER_ARN and TDR_STANDBY_DB_CLUSTER_ARN (Aurora), or"
              + " TDR_ORDERS_TABLE (DynamoDB global table)");
    }
    return new OrchestratorPorts(
        new RegionTopology(adapters.primary(), adapters.standby()),
        adapters.replication().get(),
        adapters.router(),
        adapters.capacity().orElseGet(UnmanagedCapacity::new),
        adapters.notifier(),
        adapters.controlStore(),
        adapters.probes(),
        adapters.orderLedger().orElseGet(NoOrderStore::new),
        adapters.rpoLedgers());
  }

  /**
   * The AWS defaults, except that detection requires every configured observer ({@code
   * standby-side} from {@code TDR_MONITOR_TARGETS}, {@code cloudwatch} from the health alarms) when
   * there are at least two; core's default names an {@code entry-point} observer that AWS wiring
   * does not build.
   */
  public static OrchestratorConfig.Builder defaults(List<HealthProbe> probes) {
    OrchestratorConfig.Builder builder = OrchestratorConfig.builder();
    List<String> observers = probes.stream().map(HealthProbe::observer).distinct().toList();
    if (observers.size() >= 2) {
      builder.detectionObservers(observers);
    }
    return builder;
  }

  /**
   * The settings from {@code TDR_<SETTING>} variables, the setting's name in upper snake case
   * ({@code TDR_MAX_LAG_ON_FAILOVER=10s}, {@code TDR_AUTOMATIC_FAILOVER=PAUSED}, {@code
   * TDR_DETECTION_OBSERVERS=standby-side,cloudwatch}), over {@link #defaults}. An invalid value is
   * an IllegalArgumentException naming the variable.
   */
  public static OrchestratorConfig config(Map<String, String> env, List<HealthProbe> probes) {
    OrchestratorConfig.Builder builder = defaults(probes);
    for (String setting : OrchestratorConfig.defaults().settings().keySet()) {
      String variable = variableOf(setting);
      String value = env.get(variable);
      if (value != null && !value.isBlank()) {
        try {
          builder.set(setting, value.strip());
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(variable + ": " + e.getMessage(), e);
        }
      }
    }
    try {
      return builder.build();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "orchestrator settings (TDR_<SETTING> variables): " + e.getMessage(), e);
    }
  }

  /**
   * Checks that every observer detection requires has a probe, so that an automatic failover can
   * ever be confirmed.
   */
  public static void requireObservers(OrchestratorConfig config, List<HealthProbe> probes) {
    Set<String> available =
        Set.copyOf(probes.stream().map(HealthProbe::observer).distinct().toList());
    List<String> missing =
        config.detectionObservers().stream().filter(o -> !available.contains(o)).toList();
    if (!missing.isEmpty()) {
      throw new IllegalArgumentException(
          "TDR_DETECTION_OBSERVERS requires "
              + String.join(", ", config.detectionObservers())
              + " but no probe is configured for "
              + String.join(", ", missing)
              + "; configured: "
              + (available.isEmpty()
                  ? "none"
                  : String.join(", ", available.stream().sorted().toList()))
              + " (TDR_MONITOR_TARGETS adds standby-side, TDR_HEALTH_ALARM_PRIMARY/STANDBY add"
              + " cloudwatch)");
    }
  }

  /** {@code maxLagOnFailover} -> {@code TDR_MAX_LAG_ON_FAILOVER}. */
  public static String variableOf(String setting) {
    return "TDR_" + setting.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toUpperCase(Locale.ROOT);
  }

  /**
   * Capacity that no one manages here (no Auto Scaling groups configured: Lambda and API Gateway
   * scale on demand). Reports unlimited capacity, so the scale step finds nothing to do.
   */
  static final class UnmanagedCapacity implements CapacityManager {
    @Override
    public int inService(RegionId region) {
      return Integer.MAX_VALUE;
    }

    @Override
    public void scaleTo(RegionId region, int desired, Duration timeout) {
      // Nothing to scale: inService reports unlimited capacity, so core never asks.
    }
  }

  /** The RPO ledger source when no order store is configured (see {@link #NO_ORDER_STORE}). */
  static final class NoOrderStore implements OrderLedgerSource {

    @Override
    public List<CommittedOrder> committedSince(RegionId region, Instant since) {
      throw new RefusedException(NO_ORDER_STORE);
    }

    @Override
    public Set<String> present(RegionId region, Collection<CommittedOrder> orders) {
      throw new RefusedException(NO_ORDER_STORE);
    }
  }

  /** Replay and cancel, refused on AWS with the reason (see {@link #NO_ORDER_WRITES}). */
  static final class NoOrderWrites implements OrderReconciliation {

    @Override
    public ReplayOutcome replay(RegionId writer, CommittedOrder order) {
      throw new RefusedException(NO_ORDER_WRITES);
    }

    @Override
    public void markCancelled(RegionId writer, CommittedOrder order, String reason) {
      throw new RefusedException(NO_ORDER_WRITES);
    }
  }

  /**
   * The reconciliation port of the aws target: the writer region's trading service API, the normal
   * order path, at the URLs of {@code TDR_MONITOR_TARGETS} (each region's service, as the health
   * monitor probes it); refuses with {@link #NO_ORDER_WRITES} when they are not configured.
   */
  public static OrderReconciliation reconciliation(Map<String, String> env) {
    String targets = env.get("TDR_MONITOR_TARGETS");
    if (targets == null || targets.isBlank()) {
      return new NoOrderWrites();
    }
    Map<RegionId, URI> services = new LinkedHashMap<>();
    for (String raw : targets.split(",")) {
      String pair = raw.strip();
      int eq = pair.indexOf('=');
      if (eq <= 0 || eq == pair.length() - 1) {
        throw new IllegalArgumentException(
            "TDR_MONITOR_TARGETS entry '" + pair + "' is invalid: use region=https://service-url");
      }
      services.put(
          RegionId.of(pair.substring(0, eq).strip()), URI.create(pair.substring(eq + 1).strip()));
    }
    return new ServiceOrderReconciliation(
        region -> {
          URI uri = services.get(region);
          if (uri == null) {
            throw new RefusedException(
                "TDR_MONITOR_TARGETS names no trading service URL for " + region);
          }
          return uri;
        },
        Duration.ofSeconds(10));
  }
}
