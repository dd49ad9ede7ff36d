package io.tradingdr.aws.route53;

import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.aws.common.Polling;
import io.tradingdr.aws.common.Polling.Check;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.RouteMode;
import io.tradingdr.core.port.RoutingState;
import io.tradingdr.core.port.TrafficRouter;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.Dimension;
import software.amazon.awssdk.services.cloudwatch.model.MetricAlarm;
import software.amazon.awssdk.services.cloudwatch.model.MetricDatum;
import software.amazon.awssdk.services.cloudwatch.model.StandardUnit;
import software.amazon.awssdk.services.cloudwatch.model.StateValue;
import software.amazon.awssdk.services.route53.Route53Client;
import software.amazon.awssdk.services.route53.model.Change;
import software.amazon.awssdk.services.route53.model.ChangeAction;
import software.amazon.awssdk.services.route53.model.ChangeStatus;
import software.amazon.awssdk.services.route53.model.RRType;
import software.amazon.awssdk.services.route53.model.ResourceRecordSet;
import software.amazon.awssdk.services.route53.model.ResourceRecordSetFailover;
import software.amazon.awssdk.services.route53recoverycluster.Route53RecoveryClusterClient;
import software.amazon.awssdk.services.route53recoverycluster.model.RoutingControlState;
import software.amazon.awssdk.services.route53recoverycluster.model.UpdateRoutingControlStateEntry;

/**
 * {@link TrafficRouter} on Route 53: one record name with one record set per region (weighted or
 * failover routing), plus data-plane means to move traffic when Route 53's control plane (in
 * us-east-1, the primary region) may be gone.
 *
 * <p><b>PLANNED</b> ({@link RouteMode#PLANNED}): lifts a drain of the target region (below), sets
 * the target's ARC routing control On when ARC is configured, then {@code ChangeResourceRecordSets}
 * UPSERTs the region's record sets, copied from {@code ListResourceRecordSets} with only the weight
 * (target 100, others 0) or the failover role (target PRIMARY, others SECONDARY) changed, and waits
 * for {@code GetChange} INSYNC. Records already in that shape are not changed again.
 *
 * <p><b>EMERGENCY</b> ({@link RouteMode#EMERGENCY}) never calls Route 53. For every other region R
 * it publishes the <i>drain metric</i> {@code <namespace>/<metricName>} with dimension {@code
 * Region=R}, value 1, through CloudWatch in the target region ({@code PutMetricData}), and waits
 * until R's drain alarm there is in ALARM ({@code DescribeAlarms}). The infrastructure wires that
 * alarm (Maximum ≥ 1, treat missing data as ignore, so a drain sticks until a 0 is published) to a
 * Route 53 {@code CLOUDWATCH_METRIC} health check (insufficient data = last known status) on R's
 * record set: Route 53's data plane then stops answering with R ("standby takes over primary").
 * When ARC is configured it also sets the routing controls (target On, the others Off) with {@code
 * UpdateRoutingControlStates}, trying each cluster endpoint in turn. EMERGENCY does not lift a
 * drain of the target itself (that alarm lives in the other region); PLANNED does.
 *
 * <p>{@link #current()} reads the record sets ({@code ListResourceRecordSets}) and, where
 * configured, the drain alarms and ARC states; a drained or Off region counts as weight 0.
 *
 * <p>Idempotent. Errors: access denied and invalid changes are {@link RefusedException}s with the
 * service's reason; throttling is retried with backoff by the SDK, then, like timeouts, an {@link
 * UnreachableException}; a wait past its timeout is an {@link UnreachableException} naming the last
 * state seen.
 */
public final class Route53TrafficRouter implements TrafficRouter {

  /** How the region record sets share the record name. */
  public enum RoutingPolicy {
    WEIGHTED,
    FAILOVER
  }

  /** The drain signal for one region: its alarm and CloudWatch in the region where it lives. */
  public record Drain(String alarmName, CloudWatchClient cloudWatch) {
    public Drain {
      if (alarmName == null || alarmName.isBlank() || alarmName.length() > 255) {
        throw new IllegalArgumentException(
            "drain alarm name must be 1-255 characters, was '" + alarmName + "'");
      }
      Objects.requireNonNull(cloudWatch, "cloudWatch");
    }
  }

  /** One ARC cluster endpoint and the client that signs for its region. */
  public record ArcEndpoint(URI endpoint, Route53RecoveryClusterClient client) {
    public ArcEndpoint {
      Objects.requireNonNull(endpoint, "endpoint");
      Objects.requireNonNull(client, "client");
    }
  }

  private final Route53Client route53;
  private final String hostedZoneId;
  private final String recordName;
  private final RRType recordType;
  private final RoutingPolicy policy;
  private final Map<RegionId, String> setIdentifiers;
  private final String drainNamespace;
  private final String drainMetricName;
  private final Map<RegionId, Drain> drains;
  private final List<ArcEndpoint> arcEndpoints;
  private final Map<RegionId, String> routingControls;
  private final Clock clock;
  private final Polling polling;

  private Route53TrafficRouter(Builder b) {
    this.route53 = b.route53;
    this.hostedZoneId = b.hostedZoneId;
    this.recordName = normalize(b.recordName);
    this.recordType = b.recordType;
    this.policy = b.policy;
    this.setIdentifiers = Map.copyOf(b.setIdentifiers);
    this.drainNamespace = b.drainNamespace;
    this.drainMetricName = b.drainMetricName;
    this.drains = Map.copyOf(b.drains);
    this.arcEndpoints = List.copyOf(b.arcEndpoints);
    this.routingControls = Map.copyOf(b.routingControls);
    this.clock = b.clock;
    this.polling = new Polling(b.clock, b.pollInterval);
  }

  public static Builder builder() {
    return new Builder();
  }

  @Override
  public RoutingState current() {
    Map<RegionId, ResourceRecordSet> records = recordSets();
    Map<RegionId, Integer> raw = new TreeMap<>();
    int total =
        records.values().stream()
            .mapToInt(r -> r.weight() == null ? 0 : r.weight().intValue())
            .sum();
    records.forEach(
        (region, r) ->
            raw.put(
                region,
                policy == RoutingPolicy.WEIGHTED
                    ? (total == 0
                        ? 0
                        : (int) Math.round(100.0 * (r.weight() == null ? 0 : r.weight()) / total))
                    : (r.failover() == ResourceRecordSetFailover.PRIMARY ? 100 : 0)));
    List<String> notes = new ArrayList<>();
    List<RegionId> out = new ArrayList<>();
    for (RegionId region : raw.keySet()) {
      drainState(region)
          .ifPresent(
              state -> {
                notes.add(region + " drain alarm " + state);
                if (state == StateValue.ALARM) {
                  out.add(region);
                }
              });
      arcState(region)
          .ifPresent(
              state -> {
                notes.add(region + " routing control " + state);
                if (state == RoutingControlState.OFF && !out.contains(region)) {
                  out.add(region);
                }
              });
    }
    Map<RegionId, Integer> effective = new TreeMap<>(raw);
    out.forEach(r -> effective.put(r, 0));
    List<RegionId> serving = effective.keySet().stream().filter(r -> !out.contains(r)).toList();
    if (!out.isEmpty()
        && !serving.isEmpty()
        && serving.stream().allMatch(r -> effective.get(r) == 0)) {
      serving.forEach(r -> effective.put(r, 100 / serving.size()));
    }
    Optional<RegionId> active =
        effective.entrySet().stream()
            .filter(e -> e.getValue() == 100)
            .map(Map.Entry::getKey)
            .findFirst();
    String detail =
        recordName
            + " "
            + recordType
            + " "
            + policy.name().toLowerCase(Locale.ROOT)
            + " "
            + raw
            + (notes.isEmpty() ? "" : "; " + String.join(", ", notes));
    return new RoutingState(effective, active, detail);
  }

  @Override
  public void routeTo(RegionId region, RouteMode mode, Duration timeout) {
    requireRegion(region);
    Objects.requireNonNull(mode, "mode");
    Instant deadline = clock.instant().plus(timeout);
    if (mode == RouteMode.EMERGENCY) {
      routeByDataPlane(region, deadline);
    } else {
      routeByControlPlane(region, deadline);
    }
  }

  /**
   * Uses every configured data-plane means, even when one fails, so that traffic moves if any of
   * them can move it; then fails naming each means that did not work.
   */
  private void routeByDataPlane(RegionId target, Instant deadline) {
    if (drains.isEmpty() && routingControls.isEmpty()) {
      throw new RefusedException(
          "EMERGENCY routing needs a drain metric or ARC routing controls; neither is configured");
    }
    List<RuntimeException> failures = new ArrayList<>();
    if (!routingControls.isEmpty()) {
      try {
        setRoutingControls(target, true);
      } catch (UnreachableException | RefusedException e) {
        failures.add(e);
      }
    }
    for (RegionId other : setIdentifiers.keySet()) {
      if (!other.equals(target) && drains.containsKey(other)) {
        try {
          setDrain(other, 1, StateValue.ALARM, deadline);
        } catch (UnreachableException | RefusedException e) {
          failures.add(e);
        }
      }
    }
    if (!failures.isEmpty()) {
      String message =
          "EMERGENCY routing to "
              + target
              + " incomplete: "
              + String.join("; ", failures.stream().map(Throwable::getMessage).toList());
      boolean allRefused = failures.stream().allMatch(RefusedException.class::isInstance);
      throw allRefused ? new RefusedException(message) : new UnreachableException(message);
    }
  }

  private void routeByControlPlane(RegionId target, Instant deadline) {
    if (drains.containsKey(target)) {
      setDrain(target, 0, StateValue.OK, deadline);
    }
    if (!routingControls.isEmpty()) {
      setRoutingControls(target, false);
    }
    Map<RegionId, ResourceRecordSet> records = recordSets();
    List<Change> changes = new ArrayList<>();
    records.forEach(
        (region, record) -> {
          ResourceRecordSet wanted =
              policy == RoutingPolicy.WEIGHTED
                  ? record.toBuilder().weight(region.equals(target) ? 100L : 0L).build()
                  : record.toBuilder()
                      .failover(
                          region.equals(target)
                              ? ResourceRecordSetFailover.PRIMARY
                              : ResourceRecordSetFailover.SECONDARY)
                      .build();
          if (!wanted.equals(record)) {
            changes.add(
                Change.builder().action(ChangeAction.UPSERT).resourceRecordSet(wanted).build());
          }
        });
    if (changes.isEmpty()) {
      return;
    }
    String changeId;
    try {
      changeId =
          route53
              .changeResourceRecordSets(
                  r ->
                      r.hostedZoneId(hostedZoneId)
                          .changeBatch(
                              b ->
                                  b.comment("trading-dr: route " + recordName + " to " + target)
                                      .changes(changes)))
              .changeInfo()
              .id();
    } catch (SdkException e) {
      throw AwsErrors.translate("route53:ChangeResourceRecordSets", e);
    }
    polling.until(
        "Route 53 change " + changeId,
        remaining(deadline),
        () -> {
          try {
            ChangeStatus status = route53.getChange(r -> r.id(changeId)).changeInfo().status();
            return status == ChangeStatus.INSYNC
                ? Check.done(Boolean.TRUE, "INSYNC")
                : Check.notYet(String.valueOf(status));
          } catch (SdkException e) {
            throw AwsErrors.translate("route53:GetChange", e);
          }
        });
  }

  /**
   * Publishes {@code value} unless the drain alarm already shows {@code wanted}, then waits for it.
   */
  private void setDrain(RegionId drained, double value, StateValue wanted, Instant deadline) {
    if (alarmState(drains.get(drained)).filter(wanted::equals).isPresent()) {
      return;
    }
    publishDrain(drained, value);
    awaitAlarm(drained, wanted, deadline);
  }

  private void publishDrain(RegionId drained, double value) {
    Drain drain = drains.get(drained);
    try {
      drain
          .cloudWatch()
          .putMetricData(
              r ->
                  r.namespace(drainNamespace)
                      .metricData(
                          MetricDatum.builder()
                              .metricName(drainMetricName)
                              .dimensions(
                                  Dimension.builder().name("Region").value(drained.value()).build())
                              .timestamp(clock.instant())
                              .unit(StandardUnit.COUNT)
                              // Route 53 health checks accept alarms on standard-resolution
                              // metrics only.
                              .storageResolution(60)
                              .value(value)
                              .build()));
    } catch (SdkException e) {
      throw AwsErrors.translate(
          "cloudwatch:PutMetricData(" + drainMetricName + " Region=" + drained + ")", e);
    }
  }

  private void awaitAlarm(RegionId drained, StateValue wanted, Instant deadline) {
    Drain drain = drains.get(drained);
    polling.until(
        "drain alarm " + drain.alarmName() + " to reach " + wanted,
        remaining(deadline),
        () -> {
          Optional<StateValue> state = alarmState(drain);
          return state.filter(wanted::equals).isPresent()
              ? Check.done(Boolean.TRUE, wanted.toString())
              : Check.notYet(state.map(Object::toString).orElse("alarm not found"));
        });
  }

  private Optional<StateValue> alarmState(Drain drain) {
    try {
      List<MetricAlarm> alarms =
          drain.cloudWatch().describeAlarms(r -> r.alarmNames(drain.alarmName())).metricAlarms();
      return alarms.stream().map(MetricAlarm::stateValue).findFirst();
    } catch (SdkException e) {
      throw AwsErrors.translate("cloudwatch:DescribeAlarms(" + drain.alarmName() + ")", e);
    }
  }

  private Optional<StateValue> drainState(RegionId region) {
    Drain drain = drains.get(region);
    if (drain == null) {
      return Optional.empty();
    }
    try {
      return alarmState(drain);
    } catch (UnreachableException | RefusedException e) {
      return Optional.empty();
    }
  }

  /** Sets the target On and, in an emergency, every other region Off, in one call. */
  private void setRoutingControls(RegionId target, boolean othersOff) {
    List<UpdateRoutingControlStateEntry> entries = new ArrayList<>();
    routingControls.forEach(
        (region, arn) -> {
          if (region.equals(target)) {
            entries.add(entry(arn, RoutingControlState.ON));
          } else if (othersOff) {
            entries.add(entry(arn, RoutingControlState.OFF));
          }
        });
    onAnyArcEndpoint(
        "route53-recovery-cluster:UpdateRoutingControlStates",
        client -> {
          client.updateRoutingControlStates(r -> r.updateRoutingControlStateEntries(entries));
          return Boolean.TRUE;
        });
  }

  private Optional<RoutingControlState> arcState(RegionId region) {
    String arn = routingControls.get(region);
    if (arn == null) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          onAnyArcEndpoint(
              "route53-recovery-cluster:GetRoutingControlState",
              client ->
                  client
                      .getRoutingControlState(r -> r.routingControlArn(arn))
                      .routingControlState()));
    } catch (UnreachableException | RefusedException e) {
      return Optional.empty();
    }
  }

  /** ARC's guidance: the cluster endpoints are equivalent; try each in turn until one answers. */
  private <T> T onAnyArcEndpoint(
      String operation, java.util.function.Function<Route53RecoveryClusterClient, T> call) {
    List<String> failures = new ArrayList<>();
    boolean allRefused = true;
    for (ArcEndpoint endpoint : arcEndpoints) {
      try {
        return call.apply(endpoint.client());
      } catch (SdkException e) {
        RuntimeException translated =
            AwsErrors.translate(operation + " at " + endpoint.endpoint(), e);
        allRefused &= translated instanceof RefusedException;
        failures.add(translated.getMessage());
      }
    }
    String message = "no ARC cluster endpoint took the call: " + String.join("; ", failures);
    throw allRefused ? new RefusedException(message) : new UnreachableException(message);
  }

  private static UpdateRoutingControlStateEntry entry(String arn, RoutingControlState state) {
    return UpdateRoutingControlStateEntry.builder()
        .routingControlArn(arn)
        .routingControlState(state)
        .build();
  }

  /** This record's sets by region, from ListResourceRecordSets (one page holds them all). */
  private Map<RegionId, ResourceRecordSet> recordSets() {
    List<ResourceRecordSet> listed;
    try {
      listed =
          route53
              .listResourceRecordSets(
                  r ->
                      r.hostedZoneId(hostedZoneId)
                          .startRecordName(recordName)
                          .startRecordType(recordType)
                          .maxItems("100"))
              .resourceRecordSets();
    } catch (SdkException e) {
      throw AwsErrors.translate("route53:ListResourceRecordSets", e);
    }
    Map<RegionId, ResourceRecordSet> byRegion = new LinkedHashMap<>();
    for (var entry : setIdentifiers.entrySet()) {
      ResourceRecordSet found =
          listed.stream()
              .filter(r -> normalize(r.name()).equals(recordName) && r.type() == recordType)
              .filter(r -> entry.getValue().equals(r.setIdentifier()))
              .findFirst()
              .orElseThrow(
                  () ->
                      new RefusedException(
                          "record "
                              + recordName
                              + " "
                              + recordType
                              + " with set identifier '"
                              + entry.getValue()
                              + "' ("
                              + entry.getKey()
                              + ") is not in hosted zone "
                              + hostedZoneId));
      byRegion.put(entry.getKey(), found);
    }
    return byRegion;
  }

  private Duration remaining(Instant deadline) {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() || left.isZero() ? Duration.ofMillis(1) : left;
  }

  private void requireRegion(RegionId region) {
    if (!setIdentifiers.containsKey(Objects.requireNonNull(region, "region"))) {
      throw new IllegalArgumentException(
          "region " + region + " has no record set here; configured: " + setIdentifiers.keySet());
    }
  }

  private static String normalize(String name) {
    String lower = name.toLowerCase(Locale.ROOT);
    return lower.endsWith(".") ? lower : lower + ".";
  }

  /**
   * Builder: which record, which regions, which data-plane means; validated in {@link #build()}.
   */
  public static final class Builder {
    private Route53Client route53;
    private String hostedZoneId;
    private String recordName;
    private RRType recordType = RRType.A;
    private RoutingPolicy policy;
    private final Map<RegionId, String> setIdentifiers = new LinkedHashMap<>();
    private String drainNamespace = "TradingDR/Routing";
    private String drainMetricName = "RegionDrained";
    private final Map<RegionId, Drain> drains = new LinkedHashMap<>();
    private final List<ArcEndpoint> arcEndpoints = new ArrayList<>();
    private final Map<RegionId, String> routingControls = new LinkedHashMap<>();
    private Duration pollInterval = Duration.ofSeconds(5);
    private Clock clock = Clock.systemUTC();

    /** Route 53 control plane client (PLANNED routing and {@code current()} only). */
    public Builder route53(Route53Client value) {
      this.route53 = value;
      return this;
    }

    public Builder hostedZoneId(String value) {
      this.hostedZoneId = value;
      return this;
    }

    /** The record clients resolve, e.g. {@code api.trading-prod.example.com}. */
    public Builder record(String name, RRType type, RoutingPolicy routingPolicy) {
      this.recordName = name;
      this.recordType = type;
      this.policy = routingPolicy;
      return this;
    }

    /** The record set of {@code region} is the one with this {@code SetIdentifier}. */
    public Builder region(RegionId region, String setIdentifier) {
      if (setIdentifiers.containsKey(region)) {
        throw new IllegalArgumentException("region " + region + " is configured twice");
      }
      setIdentifiers.put(region, setIdentifier);
      return this;
    }

    /**
     * Namespace and name of the drain metric (defaults {@code TradingDR/Routing}, {@code
     * RegionDrained}).
     */
    public Builder drainMetric(String namespace, String metricName) {
      this.drainNamespace = namespace;
      this.drainMetricName = metricName;
      return this;
    }

    /**
     * The drain of {@code region}: its alarm's name, and CloudWatch in the region where the alarm
     * lives (the other region, so that it works while {@code region} is down).
     */
    public Builder drain(
        RegionId region, String alarmName, CloudWatchClient cloudWatchWhereTheAlarmLives) {
      drains.put(region, new Drain(alarmName, cloudWatchWhereTheAlarmLives));
      return this;
    }

    /** An ARC cluster endpoint; add all of the cluster's regional endpoints. */
    public Builder arcEndpoint(URI endpoint, Route53RecoveryClusterClient client) {
      arcEndpoints.add(new ArcEndpoint(endpoint, client));
      return this;
    }

    /** The ARC routing control that gates {@code region}'s record set. */
    public Builder routingControl(RegionId region, String routingControlArn) {
      routingControls.put(region, routingControlArn);
      return this;
    }

    /** How often the waiters poll (default 5 s). */
    public Builder pollInterval(Duration value) {
      this.pollInterval = value;
      return this;
    }

    public Builder clock(Clock value) {
      this.clock = value;
      return this;
    }

    public Route53TrafficRouter build() {
      Objects.requireNonNull(route53, "route53 client");
      Objects.requireNonNull(clock, "clock");
      if (hostedZoneId == null || !hostedZoneId.matches("Z[A-Z0-9]{1,31}")) {
        throw new IllegalArgumentException(
            "hostedZoneId '" + hostedZoneId + "' is invalid: use the zone id, e.g. Z0123456789ABC");
      }
      if (recordName == null || !recordName.matches("[A-Za-z0-9*_.-]{1,253}")) {
        throw new IllegalArgumentException(
            "record name '" + recordName + "' is invalid: use a DNS name");
      }
      if (recordType == null || policy == null) {
        throw new IllegalArgumentException(
            "record type and routing policy (WEIGHTED or FAILOVER) are required");
      }
      if (setIdentifiers.size() != 2) {
        throw new IllegalArgumentException(
            "exactly 2 regions with a set identifier are needed, configured: "
                + setIdentifiers.keySet());
      }
      setIdentifiers.forEach(
          (r, id) -> {
            if (id == null || id.isBlank() || id.length() > 128) {
              throw new IllegalArgumentException(
                  "set identifier of " + r + " must be 1-128 characters, was '" + id + "'");
            }
          });
      for (RegionId r : drains.keySet()) {
        if (!setIdentifiers.containsKey(r)) {
          throw new IllegalArgumentException(
              "drain configured for " + r + ", which has no record set");
        }
      }
      if (!drains.isEmpty()
          && (drainNamespace == null
              || drainNamespace.isBlank()
              || drainNamespace.startsWith("AWS/")
              || drainMetricName == null
              || drainMetricName.isBlank())) {
        throw new IllegalArgumentException(
            "drain metric namespace '"
                + drainNamespace
                + "' and name '"
                + drainMetricName
                + "' are invalid: non-blank, and the namespace must not start with AWS/");
      }
      if (!routingControls.isEmpty()) {
        if (arcEndpoints.isEmpty()) {
          throw new IllegalArgumentException(
              "ARC routing controls are configured but no cluster endpoint");
        }
        if (!routingControls.keySet().equals(setIdentifiers.keySet())) {
          throw new IllegalArgumentException(
              "ARC routing controls must cover every region "
                  + setIdentifiers.keySet()
                  + ", configured: "
                  + routingControls.keySet());
        }
        routingControls.forEach(
            (r, arn) -> {
              if (arn == null
                  || !arn.startsWith("arn:aws")
                  || !arn.contains(":route53-recovery-control::")) {
                throw new IllegalArgumentException(
                    "routing control ARN of " + r + " is invalid: '" + arn + "'");
              }
            });
      }
      if (pollInterval == null || pollInterval.isNegative() || pollInterval.isZero()) {
        throw new IllegalArgumentException(
            "pollInterval must be a positive duration, was " + pollInterval);
      }
      return new Route53TrafficRouter(this);
    }
  }
}
