package io.tradingdr.core.run;

import io.tradingdr.core.config.AutomaticFailover;
import io.tradingdr.core.config.Durations;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.decision.Decision;
import io.tradingdr.core.detect.DetectionVerdict;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The guards of each run kind, evaluated on one observation. Pure: the caller gathers what the
 * guards look at, so a dry run and a real run judge the same facts the same way.
 */
final class Guards {

  static final String AUTOMATIC_FAILOVER = "automaticFailover";
  static final String AUTOMATIC_FAILBACK = "automaticFailback";
  static final String MIN_FAILOVER_INTERVAL = "minFailoverInterval";
  static final String DETECTION = "detection";
  static final String TOPOLOGY = "topology";
  static final String MAX_LAG = "maxLagOnFailover";
  static final String CATCH_UP = "catchUpTimeout";
  static final String HEALTH = "health";
  static final String RUN_LEASE = "runLease";

  private final OrchestratorConfig config;

  Guards(OrchestratorConfig config) {
    this.config = config;
  }

  /**
   * What the guards look at.
   *
   * @param pausedBecause the control store's pause switch
   * @param lastPromotion the newest run that promoted a database
   * @param detection the verdict on {@code from} (the request's, else the local detector's)
   * @param targetProbes fresh probes of {@code to} (failback only)
   */
  record Observation(
      RegionId from,
      RegionId to,
      ReplicationStatus status,
      Optional<String> pausedBecause,
      Optional<RunSummary> lastPromotion,
      Optional<DetectionVerdict> detection,
      List<ProbeResult> targetProbes,
      Instant now) {}

  List<Decision> evaluate(RunRequest request, Observation o) {
    List<Decision> out = new ArrayList<>();
    switch (request.kind()) {
      case FAILOVER -> {
        out.add(automaticFailover(request, o));
        out.add(minFailoverInterval(request, o));
        out.add(detection(request, o));
        out.add(topology(o, false));
        out.add(maxLag(request, o));
      }
      case SWITCHOVER -> {
        out.add(topology(o, true));
        out.add(catchUp(o));
      }
      case FAILBACK -> {
        out.add(automaticFailback(request));
        out.add(failbackTopology(o));
        out.add(health(o));
      }
    }
    return out;
  }

  private Decision automaticFailover(RunRequest request, Observation o) {
    if (request.trigger() == Trigger.OPERATOR) {
      return Decision.proceed(
          AUTOMATIC_FAILOVER, AUTOMATIC_FAILOVER + ": not applicable to an operator's run");
    }
    if (config.automaticFailover() == AutomaticFailover.PAUSED) {
      return Decision.refused(
          AUTOMATIC_FAILOVER, "paused by configuration (automaticFailover=PAUSED)", Map.of());
    }
    if (o.pausedBecause().isPresent()) {
      return Decision.refused(
          AUTOMATIC_FAILOVER,
          "paused by " + o.pausedBecause().get(),
          Map.of("pausedBecause", o.pausedBecause().get()));
    }
    return Decision.proceed(AUTOMATIC_FAILOVER, AUTOMATIC_FAILOVER + ": on");
  }

  private Decision automaticFailback(RunRequest request) {
    if (request.trigger() == Trigger.OPERATOR) {
      return Decision.proceed(
          AUTOMATIC_FAILBACK, AUTOMATIC_FAILBACK + ": not applicable to an operator's run");
    }
    if (!config.automaticFailback()) {
      return Decision.refused(
          AUTOMATIC_FAILBACK,
          "off (the default): a failback is a planned change that a person starts",
          Map.of());
    }
    return Decision.proceed(AUTOMATIC_FAILBACK, AUTOMATIC_FAILBACK + ": on");
  }

  private Decision minFailoverInterval(RunRequest request, Observation o) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(MIN_FAILOVER_INTERVAL, Durations.format(config.minFailoverInterval()));
    if (o.lastPromotion().isEmpty()) {
      return Decision.proceed(
          MIN_FAILOVER_INTERVAL, MIN_FAILOVER_INTERVAL + ": no previous promotion", facts);
    }
    RunSummary last = o.lastPromotion().get();
    Instant promotedAt = last.promotedAt().orElseThrow();
    Duration since = Duration.between(promotedAt, o.now());
    facts.put("previousRun", last.runId());
    facts.put("previousPromotionAt", promotedAt.toString());
    boolean tooSoon = since.compareTo(config.minFailoverInterval()) < 0;
    if (tooSoon && request.trigger() == Trigger.AUTOMATIC) {
      return Decision.refused(
          MIN_FAILOVER_INTERVAL,
          "previous "
              + last.kind().toLowerCase(java.util.Locale.ROOT)
              + " "
              + last.runId()
              + " promoted at "
              + promotedAt
              + ", "
              + Durations.format(since)
              + " ago; no automatic failover before "
              + promotedAt.plus(config.minFailoverInterval()),
          facts);
    }
    return Decision.proceed(
        MIN_FAILOVER_INTERVAL,
        MIN_FAILOVER_INTERVAL
            + ": previous promotion "
            + Durations.format(since)
            + " ago"
            + (tooSoon
                ? " (within "
                    + Durations.format(config.minFailoverInterval())
                    + ", but an operator's run is not held back)"
                : ""),
        facts);
  }

  private Decision detection(RunRequest request, Observation o) {
    if (o.detection().isEmpty()) {
      if (request.trigger() == Trigger.AUTOMATIC) {
        return Decision.refused(
            DETECTION, "no detection verdict for " + o.from() + " came with the trigger", Map.of());
      }
      return Decision.proceed(
          DETECTION, DETECTION + ": no observations; not required for an operator's run");
    }
    DetectionVerdict verdict = o.detection().get();
    Map<String, String> facts = verdict.facts();
    if (!verdict.region().equals(o.from())) {
      return Decision.refused(
          DETECTION,
          "the verdict is about " + verdict.region() + ", the writer is " + o.from(),
          facts);
    }
    if (request.trigger() == Trigger.AUTOMATIC) {
      // The verdict's own reason already starts with "detection: ".
      return new Decision(
          DETECTION,
          verdict.isDown()
              ? io.tradingdr.core.decision.Verdict.PROCEED
              : io.tradingdr.core.decision.Verdict.REFUSED,
          verdict.reason(),
          facts);
    }
    return Decision.proceed(
        DETECTION,
        DETECTION
            + ": not required for an operator's run; latest: "
            + verdict.reason().substring((DETECTION + ": ").length()),
        facts);
  }

  private Decision topology(Observation o, boolean planned) {
    ReplicationStatus s = o.status();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(Facts.FROM, o.from().value());
    facts.put(Facts.TO, o.to().value());
    facts.put("replication.writer", s.writer().map(RegionId::value).orElse("none"));
    facts.put("replication.standby", s.standby().value());
    if (s.writer().filter(o.to()::equals).isPresent()) {
      return Decision.refused(TOPOLOGY, o.to() + " is already the writer", facts);
    }
    if (!s.standby().equals(o.to()) || s.standbyWatermark().isEmpty()) {
      return Decision.refused(
          TOPOLOGY,
          o.to()
              + " is not a reachable standby (replication reports standby "
              + s.standby()
              + (s.standbyWatermark().isEmpty() ? ", no replay position" : "")
              + ")",
          facts);
    }
    if (planned
        && (s.writer().filter(o.from()::equals).isEmpty() || s.writerWatermark().isEmpty())) {
      return Decision.refused(
          TOPOLOGY,
          o.from()
              + " is not a reachable writer, so a planned switchover cannot fence it; use failover",
          facts);
    }
    return Decision.proceed(
        TOPOLOGY,
        TOPOLOGY + ": " + o.from() + " -> " + o.to() + " (" + o.to() + " is a standby)",
        facts);
  }

  private Decision failbackTopology(Observation o) {
    ReplicationStatus s = o.status();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(Facts.FROM, o.from().value());
    facts.put(Facts.TO, o.to().value());
    facts.put("replication.writer", s.writer().map(RegionId::value).orElse("none"));
    if (s.writer().filter(o.from()::equals).isEmpty()) {
      return Decision.refused(
          TOPOLOGY,
          "the writer is "
              + s.writer().map(RegionId::value).orElse("unknown")
              + ", not "
              + o.from()
              + "; nothing to fail back",
          facts);
    }
    return Decision.proceed(
        TOPOLOGY, TOPOLOGY + ": back from " + o.from() + " to home region " + o.to(), facts);
  }

  private Decision health(Observation o) {
    Map<String, String> facts = new LinkedHashMap<>();
    for (ProbeResult r : o.targetProbes()) {
      facts.put("probe." + r.observer(), (r.healthy() ? "up" : "down") + " (" + r.detail() + ")");
    }
    List<ProbeResult> bad = o.targetProbes().stream().filter(r -> !r.healthy()).toList();
    if (o.targetProbes().isEmpty()) {
      return Decision.refused(HEALTH, "no probe could look at " + o.to(), facts);
    }
    if (!bad.isEmpty()) {
      return Decision.refused(
          HEALTH,
          o.to()
              + " is not healthy: "
              + bad.stream()
                  .map(r -> r.observer() + "=down (" + r.detail() + ")")
                  .collect(Collectors.joining(", ")),
          facts);
    }
    return Decision.proceed(HEALTH, HEALTH + ": every observer sees " + o.to() + " up", facts);
  }

  private Decision maxLag(RunRequest request, Observation o) {
    ReplicationStatus s = o.status();
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(MAX_LAG, Durations.format(config.maxLagOnFailover()));
    facts.put("synchronous", Boolean.toString(s.synchronous()));
    s.lag().ifPresent(l -> facts.put(Facts.LAG, Durations.format(l)));
    if (s.synchronous()) {
      return Decision.proceed(
          MAX_LAG,
          MAX_LAG + ": replication is synchronous, no acknowledged order can be lost",
          facts);
    }
    String problem;
    if (s.lag().isEmpty()) {
      problem =
          "standby lag is unknown (the writer cannot be measured), so the loss cannot be bounded by "
              + Durations.format(config.maxLagOnFailover());
    } else if (s.lag().get().compareTo(config.maxLagOnFailover()) > 0) {
      problem =
          "standby lag "
              + Durations.format(s.lag().get())
              + " exceeds "
              + Durations.format(config.maxLagOnFailover());
    } else {
      return Decision.proceed(
          MAX_LAG,
          MAX_LAG
              + ": standby lag "
              + Durations.format(s.lag().get())
              + " within "
              + Durations.format(config.maxLagOnFailover()),
          facts);
    }
    if (request.force()) {
      facts.put("forced", "true");
      return Decision.proceed(MAX_LAG, MAX_LAG + ": " + problem + "; overridden by --force", facts);
    }
    return Decision.refused(MAX_LAG, problem + " (use --force to accept the loss)", facts);
  }

  private Decision catchUp(Observation o) {
    Map<String, String> facts = new LinkedHashMap<>();
    o.status().lag().ifPresent(l -> facts.put(Facts.LAG, Durations.format(l)));
    facts.put(CATCH_UP, Durations.format(config.catchUpTimeout()));
    Optional<Duration> lag = o.status().lag();
    if (lag.isEmpty()) {
      return Decision.refused(
          CATCH_UP, "standby lag is unknown, so catching up cannot be bounded", facts);
    }
    if (lag.get().compareTo(config.catchUpTimeout()) > 0) {
      return Decision.refused(
          CATCH_UP,
          "standby lag "
              + Durations.format(lag.get())
              + " exceeds "
              + Durations.format(config.catchUpTimeout())
              + "; writes would be fenced longer than the catch-up allows",
          facts);
    }
    return Decision.proceed(
        CATCH_UP,
        CATCH_UP + ": standby lag " + Durations.format(lag.get()) + " can be caught up",
        facts);
  }
}
