package io.tradingdr.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.events.SNSEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradingdr.aws.lambda.AlarmTrigger.AlarmState;
import io.tradingdr.aws.lambda.AlarmTrigger.MalformedEventException;
import io.tradingdr.aws.wiring.AwsAdapters;
import io.tradingdr.aws.wiring.OrchestratorWiring;
import io.tradingdr.core.config.Durations;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.decision.Decision;
import io.tradingdr.core.detect.DetectionVerdict;
import io.tradingdr.core.detect.FailureDetector;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.Notification;
import io.tradingdr.core.port.RunLease;
import io.tradingdr.core.port.RunMetrics;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.run.OrchestratorPorts;
import io.tradingdr.core.run.RunKind;
import io.tradingdr.core.run.RunOutcome;
import io.tradingdr.core.run.RunPlan;
import io.tradingdr.core.run.RunRequest;
import io.tradingdr.core.run.RunResult;
import io.tradingdr.core.run.Sleeper;
import io.tradingdr.core.run.Trigger;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * The orchestrator Lambda: a composite alarm's state change (through SNS, or EventBridge's {@code
 * "CloudWatch Alarm State Change"}) asks the core {@link Orchestrator} for an automatic failover.
 *
 * <p>It runs in the standby region and fails over only <em>toward its own region</em> ({@code
 * TDR_LOCAL_REGION}, default {@code AWS_REGION}), away from the other one; its twin in the other
 * region handles the reverse direction. So when its own region already writes, it refuses with the
 * guard {@code direction}.
 *
 * <p>What one invocation does, per alarm change:
 *
 * <ol>
 *   <li>An event that is not an alarm state change, or an alarm not in {@code TDR_TRIGGER_ALARMS},
 *       is rejected with its reason, logged, and the invocation succeeds (no retries of garbage).
 *   <li>{@code OK} and {@code INSUFFICIENT_DATA} are no-ops, logged and journaled.
 *   <li>{@code ALARM}: the direction is checked on core's dry run (who writes now); detection is
 *       confirmed by this region's own observers, up to {@code failureThreshold} rounds {@code
 *       healthCheckInterval} apart, through core's {@link FailureDetector}; then core runs the
 *       failover. Its guards (automaticFailover, minFailoverInterval, detection, topology,
 *       maxLagOnFailover, runLease) come back as refusals, journaled and notified by core.
 *   <li>Time: no step starts with less than {@code TDR_STEP_RESERVE_MS} of the invocation left (see
 *       {@link DeadlineControlStore}). A run stopped that way is journaled with where it stopped,
 *       its run lease is released, and the invocation fails with {@link RunNotFinishedException} so
 *       that Lambda's asynchronous retry invokes again; that invocation resumes the run from the
 *       journal. A step cut off by the Lambda timeout is resumed the same way (every step is
 *       idempotent).
 * </ol>
 *
 * <p>The no-arg constructor reads the environment and builds every client once per container
 * ({@link AwsAdapters#fromEnvironment}); the variables are listed in aws/README.md.
 */
public final class OrchestratorHandler implements RequestStreamHandler {

  private static final Logger LOG = LoggerFactory.getLogger(OrchestratorHandler.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The guard that keeps each twin to its own direction. */
  static final String DIRECTION = "direction";

  /** The journal kind of alarm changes that start no run (no-ops and direction refusals). */
  static final String ALARM_KIND = "ALARM";

  /** How many recent runs are searched for an unfinished one (as core does). */
  private static final int UNFINISHED_LOOKBACK = 50;

  /**
   * The handler's own settings (the orchestrator's guards are in {@link OrchestratorConfig}).
   *
   * @param local the region this orchestrator fails over toward
   * @param triggerAlarms the alarms it acts on; empty means any alarm
   * @param stepReserve no step starts with less than this left in the invocation
   * @param name names the run owner: {@code <name>@<local>:<request id>}
   */
  public record Settings(
      RegionId local, Set<String> triggerAlarms, Duration stepReserve, String name) {

    public static final Duration DEFAULT_STEP_RESERVE = Duration.ofSeconds(30);

    public Settings {
      Objects.requireNonNull(local, "local");
      triggerAlarms = Set.copyOf(triggerAlarms);
      Objects.requireNonNull(stepReserve, "stepReserve");
      if (stepReserve.isNegative()) {
        throw new IllegalArgumentException("stepReserve must not be negative");
      }
      Objects.requireNonNull(name, "name");
    }

    /**
     * {@code TDR_LOCAL_REGION} (default {@code AWS_REGION}), {@code TDR_TRIGGER_ALARMS} (names,
     * comma-separated; default any), {@code TDR_STEP_RESERVE_MS} (default 30000, 0 to 600000),
     * {@code AWS_LAMBDA_FUNCTION_NAME} (set by Lambda).
     */
    static Settings from(Map<String, String> env, List<RegionId> regions) {
      String local = firstNonBlank(env.get("TDR_LOCAL_REGION"), env.get("AWS_REGION"));
      if (local == null) {
        throw new IllegalArgumentException(
            "TDR_LOCAL_REGION (or AWS_REGION) is required: the region this orchestrator fails"
                + " over toward");
      }
      RegionId localRegion = RegionId.of(local);
      if (!regions.contains(localRegion)) {
        throw new IllegalArgumentException(
            "TDR_LOCAL_REGION '"
                + local
                + "' is not one of the system's regions; allowed: "
                + regions.stream().map(RegionId::value).toList());
      }
      Set<String> alarms = new LinkedHashSet<>();
      String rawAlarms = env.get("TDR_TRIGGER_ALARMS");
      if (rawAlarms != null) {
        Arrays.stream(rawAlarms.split(","))
            .map(String::strip)
            .filter(s -> !s.isEmpty())
            .forEach(alarms::add);
      }
      String rawReserve = firstNonBlank(env.get("TDR_STEP_RESERVE_MS"), "30000");
      long reserveMs;
      try {
        reserveMs = Long.parseLong(rawReserve);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "TDR_STEP_RESERVE_MS '" + rawReserve + "' is invalid: use milliseconds, e.g. 30000", e);
      }
      if (reserveMs < 0 || reserveMs > 600_000) {
        throw new IllegalArgumentException(
            "TDR_STEP_RESERVE_MS must be between 0 and 600000, was " + reserveMs);
      }
      return new Settings(
          localRegion,
          alarms,
          Duration.ofMillis(reserveMs),
          firstNonBlank(env.get("AWS_LAMBDA_FUNCTION_NAME"), "orchestrator"));
    }
  }

  /**
   * What the handler did with one alarm change; returned to Lambda (as JSON) and logged.
   *
   * @param outcome {@code REJECTED} (not an alarm change it acts on), {@code IGNORED} (not ALARM),
   *     or the run's {@link RunOutcome}; {@code REFUSED} also for the {@code direction} guard
   * @param reason the decision's reason; a refusal starts with the guard's name
   * @param decisions every step's and guard's decision, {@code VERDICT reason}
   */
  public record Outcome(
      String outcome,
      String reason,
      String alarm,
      String state,
      String runId,
      String from,
      String to,
      boolean resumed,
      List<String> decisions) {

    public Outcome {
      decisions = List.copyOf(decisions);
    }

    static Outcome of(String outcome, String reason, AlarmTrigger trigger) {
      return new Outcome(
          outcome,
          reason,
          trigger == null ? "" : trigger.alarmName(),
          trigger == null ? "" : trigger.state().name(),
          "",
          "",
          "",
          false,
          List.of());
    }

    static Outcome of(RunResult r, AlarmTrigger trigger) {
      return new Outcome(
          r.outcome().name(),
          r.reason(),
          trigger.alarmName(),
          trigger.state().name(),
          r.runId(),
          r.from(),
          r.to(),
          r.resumed(),
          r.decisions().stream().map(Decision::toString).toList());
    }
  }

  /**
   * The run stopped before its end because the invocation ran out of time; failing the invocation
   * makes Lambda's asynchronous retry invoke again, and that invocation resumes the run.
   */
  public static final class RunNotFinishedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RunNotFinishedException(String message) {
      super(message);
    }
  }

  private final OrchestratorPorts ports;
  private final OrchestratorConfig config;
  private final Clock clock;
  private final Sleeper sleeper;
  private final Settings settings;
  private final RunMetrics metrics;

  /** Shared by every invocation in this container, so probe history carries over. */
  private final FailureDetector detector;

  /** Lambda's entry: every port and setting from the environment, the clients built once. */
  public OrchestratorHandler() {
    this(Wiring.from(System.getenv()));
  }

  private OrchestratorHandler(Wiring w) {
    this(
        w.ports(), w.config(), Clock.systemUTC(), Sleeper.threadSleep(), w.settings(), w.metrics());
  }

  /**
   * For tests and other wiring: the ports, guards, time, the handler's own settings, and where the
   * figures of a run that got past its guards go.
   */
  public OrchestratorHandler(
      OrchestratorPorts ports,
      OrchestratorConfig config,
      Clock clock,
      Sleeper sleeper,
      Settings settings,
      RunMetrics metrics) {
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.ports = Objects.requireNonNull(ports, "ports");
    this.config = Objects.requireNonNull(config, "config");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    this.settings = Objects.requireNonNull(settings, "settings");
    if (!ports.topology().contains(settings.local())) {
      throw new IllegalArgumentException(
          "local region "
              + settings.local()
              + " is not one of "
              + ports.topology().regions().stream().map(RegionId::value).toList());
    }
    if (settings.stepReserve().compareTo(config.runLeaseTtl()) >= 0) {
      // The run lease must outlive a step that is still running when renewals stop at the reserve,
      // or another orchestrator could resume that step while it runs.
      throw new IllegalArgumentException(
          "TDR_STEP_RESERVE_MS ("
              + Durations.format(settings.stepReserve())
              + ") must be shorter than runLeaseTtl ("
              + Durations.format(config.runLeaseTtl())
              + ")");
    }
    this.detector = new FailureDetector(config, clock);
  }

  /** The environment's wiring, validated. */
  private record Wiring(
      OrchestratorPorts ports, OrchestratorConfig config, Settings settings, RunMetrics metrics) {
    static Wiring from(Map<String, String> env) {
      AwsAdapters adapters = AwsAdapters.fromEnvironment(env);
      OrchestratorPorts ports = OrchestratorWiring.ports(adapters);
      OrchestratorConfig config = OrchestratorWiring.config(env, adapters.probes());
      OrchestratorWiring.requireObservers(config, adapters.probes());
      Settings settings = Settings.from(env, ports.topology().regions());
      LOG.info(
          "orchestrator for failovers toward {} ({} -> {}), settings: {}",
          settings.local(),
          ports.topology().other(settings.local()),
          settings.local(),
          config.describe());
      return new Wiring(ports, config, settings, adapters.runMetrics());
    }
  }

  /** Lambda's stream entry: either event shape; writes the outcomes as a JSON array. */
  @Override
  public void handleRequest(InputStream input, OutputStream output, Context context)
      throws IOException {
    String raw = new String(input.readAllBytes(), StandardCharsets.UTF_8);
    List<Outcome> outcomes;
    try {
      outcomes = handle(AlarmTrigger.fromJson(raw), context);
    } catch (MalformedEventException e) {
      outcomes = List.of(rejected(e.getMessage()));
    }
    JSON.writeValue(output, outcomes);
  }

  /** Typed entry for an SNS subscription ({@code ...OrchestratorHandler::onSns}). */
  public List<Outcome> onSns(SNSEvent event, Context context) {
    try {
      return handle(AlarmTrigger.fromSns(event), context);
    } catch (MalformedEventException e) {
      return List.of(rejected(e.getMessage()));
    }
  }

  /** Typed entry for an EventBridge rule ({@code ...OrchestratorHandler::onEventBridge}). */
  public Outcome onEventBridge(ScheduledEvent event, Context context) {
    try {
      return handle(List.of(AlarmTrigger.fromEventBridge(event)), context).getFirst();
    } catch (MalformedEventException e) {
      return rejected(e.getMessage());
    }
  }

  private static Outcome rejected(String why) {
    String reason = "event: rejected, " + why;
    LOG.warn("{}", reason);
    return Outcome.of("REJECTED", reason, null);
  }

  private List<Outcome> handle(List<AlarmTrigger> triggers, Context context) {
    Instant deadline = clock.instant().plusMillis(context.getRemainingTimeInMillis());
    List<Outcome> outcomes = new ArrayList<>();
    for (AlarmTrigger trigger : triggers) {
      MDC.put("awsRequestId", context.getAwsRequestId());
      MDC.put("alarm", trigger.alarmName());
      try {
        outcomes.add(handle(trigger, context.getAwsRequestId(), deadline));
      } finally {
        MDC.remove("alarm");
        MDC.remove("awsRequestId");
      }
    }
    return outcomes;
  }

  private Outcome handle(AlarmTrigger trigger, String requestId, Instant deadline) {
    LOG.info(
        "alarm {} is {}{} via {}{}",
        trigger.alarmName(),
        trigger.state(),
        trigger.previousState().isEmpty() ? "" : " (was " + trigger.previousState() + ")",
        trigger.delivery(),
        trigger.reason().isEmpty() ? "" : ": " + trigger.reason());
    if (!settings.triggerAlarms().isEmpty()
        && !settings.triggerAlarms().contains(trigger.alarmName())) {
      return Outcome.of(
          "REJECTED",
          logged(
              "event: rejected, alarm "
                  + trigger.alarmName()
                  + " is not one this orchestrator acts on (TDR_TRIGGER_ALARMS: "
                  + String.join(", ", settings.triggerAlarms())
                  + ")"),
          trigger);
    }
    String owner = settings.name() + "@" + settings.local() + ":" + requestId;
    DeadlineControlStore control =
        new DeadlineControlStore(ports.control(), clock, deadline, settings.stepReserve());
    Orchestrator orchestrator =
        new Orchestrator(config, withControl(control), clock, sleeper, owner, detector);
    if (trigger.state() != AlarmState.ALARM) {
      return noOp(orchestrator, trigger);
    }
    String requestedBy = "alarm:" + trigger.alarmName();
    Outcome outcome = failover(orchestrator, control, trigger, requestedBy);
    if (outcome.resumed()
        && !outcome.outcome().equals(RunOutcome.INTERRUPTED.name())
        && !(outcome.outcome().equals(RunOutcome.COMPLETED.name())
            && outcome.to().equals(settings.local().value()))) {
      // The resumed run was another one; this alarm's request is judged afresh after it.
      LOG.info(
          "resumed run {} ended {}; now judging this alarm", outcome.runId(), outcome.outcome());
      outcome = failover(orchestrator, control, trigger, requestedBy);
    }
    if (outcome.outcome().equals(RunOutcome.INTERRUPTED.name())) {
      releaseOwnRunLease(owner);
      throw new RunNotFinishedException(
          "run "
              + outcome.runId()
              + " did not finish in this invocation: "
              + outcome.reason()
              + "; the retried invocation resumes it from the journal");
    }
    return outcome;
  }

  private Outcome noOp(Orchestrator orchestrator, AlarmTrigger trigger) {
    Decision d =
        Decision.alreadyDone(
            "alarm",
            "alarm: "
                + trigger.alarmName()
                + " is "
                + trigger.state()
                + (trigger.reason().isEmpty() ? "" : " (" + trigger.reason() + ")")
                + "; no action, this orchestrator acts on ALARM only",
            Map.of("alarm", trigger.alarmName(), "state", trigger.state().name()));
    journal(orchestrator, d);
    LOG.info("{}", d.reason());
    return Outcome.of("IGNORED", d.reason(), trigger);
  }

  private Outcome failover(
      Orchestrator orchestrator,
      DeadlineControlStore control,
      AlarmTrigger trigger,
      String requestedBy) {
    RegionId local = settings.local();
    RegionId other = ports.topology().other(local);
    RunRequest undecided =
        new RunRequest(RunKind.FAILOVER, Trigger.AUTOMATIC, false, requestedBy, Optional.empty());
    RunPlan plan;
    try {
      Optional<String> unfinished = orchestrator.history().unfinished(UNFINISHED_LOOKBACK);
      if (unfinished.isPresent()) {
        // Core resumes an unfinished run before any new one; its direction was checked when it
        // started (it may already have promoted this region, so the writer check would refuse it).
        LOG.warn("run {} is unfinished; resuming it from the journal", unfinished.get());
        return report(orchestrator.run(undecided), trigger);
      }
      plan = orchestrator.plan(undecided);
    } catch (RuntimeException e) {
      // Without knowing who writes, the direction cannot be checked; nothing was changed.
      String reason =
          "failover: not started, the current writer could not be read: " + e.getMessage();
      LOG.error("{}", reason);
      notifyQuietly(Notification.Severity.CRITICAL, trigger, "failover not started", reason);
      return Outcome.of(RunOutcome.FAILED.name(), reason, trigger);
    }
    if (!plan.to().equals(local.value())) {
      Decision d =
          Decision.refused(
              DIRECTION,
              plan.from()
                  + " is the writer; this orchestrator fails over only from "
                  + other
                  + " to "
                  + local
                  + " (its twin in "
                  + other
                  + " handles the other direction)",
              Map.of("alarm", trigger.alarmName(), "from", plan.from(), "to", plan.to()));
      journal(orchestrator, d);
      LOG.warn("{}", d.reason());
      notifyQuietly(Notification.Severity.WARNING, trigger, "no failover", d.reason());
      return Outcome.of(RunOutcome.REFUSED.name(), d.reason(), trigger);
    }
    DetectionVerdict verdict = confirmDown(other, control);
    LOG.info("{}", verdict.reason());
    Instant decided = clock.instant();
    RunResult result = orchestrator.run(RunRequest.automaticFailover(verdict, requestedBy));
    record(result, trigger, decided);
    return report(result, trigger);
  }

  /**
   * Records the figures of a run that got past its guards (best effort: a run's outcome never
   * depends on its metrics). Detection time runs from the alarm's state change to the decision.
   */
  private void record(RunResult result, AlarmTrigger trigger, Instant decided) {
    if ((result.outcome() != RunOutcome.COMPLETED && result.outcome() != RunOutcome.FAILED)
        || result.from().isEmpty()
        || result.to().isEmpty()) {
      return;
    }
    Optional<Duration> promotion =
        result.decisions().stream()
            .filter(d -> d.step().equals("promote"))
            .map(d -> d.facts().get("durationMs"))
            .filter(Objects::nonNull)
            .map(ms -> Duration.ofMillis(Long.parseLong(ms)))
            .findFirst();
    Optional<Duration> lag =
        result.decisions().stream()
            .filter(d -> d.step().equals("guards"))
            .map(d -> d.facts().get("replication.lag"))
            .filter(Objects::nonNull)
            .map(text -> Durations.parse("replication.lag", text))
            .findFirst();
    try {
      metrics.record(
          new RunMetrics.Measurement(
              result.runId(),
              result.kind().label(),
              RegionId.of(result.from()),
              RegionId.of(result.to()),
              clock.instant(),
              result.outcome() == RunOutcome.COMPLETED,
              trigger.changedAtInstant().map(at -> Duration.between(at, decided)),
              promotion,
              Optional.empty(),
              lag));
    } catch (RuntimeException e) {
      LOG.warn("run {}: metrics not recorded: {}", result.runId(), e.toString());
    }
  }

  private static Outcome report(RunResult result, AlarmTrigger trigger) {
    if (result.outcome() == RunOutcome.COMPLETED) {
      LOG.info("run {} {}: {}", result.runId(), result.outcome(), result.reason());
    } else {
      LOG.warn("run {} {}: {}", result.runId(), result.outcome(), result.reason());
    }
    return Outcome.of(result, trigger);
  }

  /**
   * Probes {@code region} with every observer until the detector calls it down, at most {@code
   * failureThreshold} rounds {@code healthCheckInterval} apart, and not past the step reserve.
   */
  private DetectionVerdict confirmDown(RegionId region, DeadlineControlStore control) {
    for (int round = 1; ; round++) {
      for (HealthProbe probe : ports.probes()) {
        detector.record(probe.probe(region));
      }
      DetectionVerdict verdict = detector.assess(region);
      if (verdict.isDown()
          || round >= config.failureThreshold()
          || control
                  .remaining()
                  .minus(config.healthCheckInterval())
                  .compareTo(settings.stepReserve())
              < 0) {
        return verdict;
      }
      try {
        sleeper.sleep(config.healthCheckInterval());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return verdict;
      }
    }
  }

  private void releaseOwnRunLease(String owner) {
    try {
      Optional<RunLease> lease = ports.control().currentRunLease();
      if (lease.isPresent() && lease.get().owner().equals(owner)) {
        ports.control().releaseRunLease(lease.get());
        LOG.info("run lease released, so the next invocation may resume at once");
      }
    } catch (RuntimeException e) {
      LOG.warn("run lease not released (it expires on its own): {}", e.toString());
    }
  }

  private void journal(Orchestrator orchestrator, Decision d) {
    try {
      orchestrator.journalDecision(ALARM_KIND, d);
    } catch (RuntimeException e) {
      LOG.warn("could not journal '{}': {}", d.reason(), e.toString());
    }
  }

  private void notifyQuietly(
      Notification.Severity severity, AlarmTrigger trigger, String what, String reason) {
    try {
      ports
          .notifier()
          .notify(
              new Notification(
                  clock.instant(),
                  severity,
                  "[trading-dr] alarm " + trigger.alarmName() + ": " + what,
                  reason,
                  Map.of(
                      "alarm", trigger.alarmName(),
                      "state", trigger.state().name(),
                      "orchestratorRegion", settings.local().value())));
    } catch (RuntimeException e) {
      LOG.warn("notification failed: {}", e.toString());
    }
  }

  private OrchestratorPorts withControl(DeadlineControlStore control) {
    return new OrchestratorPorts(
        ports.topology(),
        ports.replication(),
        ports.router(),
        ports.capacity(),
        ports.notifier(),
        control,
        ports.probes(),
        ports.orderLedger(),
        ports.rpoLedgers());
  }

  private static String logged(String reason) {
    LOG.warn("{}", reason);
    return reason;
  }

  private static String firstNonBlank(String a, String b) {
    return a != null && !a.isBlank() ? a.strip() : b;
  }
}
