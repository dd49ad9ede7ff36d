package io.tradingdr.core.run;

import io.tradingdr.core.config.Durations;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.decision.Decision;
import io.tradingdr.core.decision.Verdict;
import io.tradingdr.core.detect.DetectionVerdict;
import io.tradingdr.core.detect.FailureDetector;
import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.JournalEntry;
import io.tradingdr.core.port.JournalEntry.Phase;
import io.tradingdr.core.port.Notification;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.port.PromotionMode;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.RouteMode;
import io.tradingdr.core.port.RoutingState;
import io.tradingdr.core.port.RunLease;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.port.Watermark;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.region.RegionView;
import io.tradingdr.core.rpo.FailoverRecord;
import io.tradingdr.core.rpo.RpoLedger;
import io.tradingdr.core.rpo.RpoLedgerBuilder;
import io.tradingdr.core.run.RunLeaseKeeper.RunStoppedException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs switchovers, failovers and failbacks, one at a time under the run lease, journaling every
 * step before and after it runs so that a crashed run is resumed by the next instance.
 *
 * <p>Every step is idempotent and checks what is already in place before it acts: promote is
 * skipped when the replication status already shows the new writer, revoke and grant are
 * conditional on the lease's epoch, so a resumed run never promotes or grants twice.
 */
public final class Orchestrator {

  private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

  /** How many recent runs are read to find an unfinished one or the last promotion. */
  static final int LOOKBACK = 50;

  static final String RUN = RunHistory.RUN_STEP;
  static final String RUN_LEASE_STEP = "run-lease";

  private final OrchestratorConfig config;
  private final OrchestratorPorts ports;
  private final Clock clock;
  private final Sleeper sleeper;
  private final String owner;
  private final Guards guards;
  private final RunHistory history;
  private final FailureDetector detector;

  /** The writer's position when last seen by this instance, for the RPO record of a failover. */
  private volatile Optional<Watermark> lastWriterWatermark = Optional.empty();

  public Orchestrator(
      OrchestratorConfig config,
      OrchestratorPorts ports,
      Clock clock,
      Sleeper sleeper,
      String owner) {
    this(config, ports, clock, sleeper, owner, new FailureDetector(config, clock));
  }

  public Orchestrator(
      OrchestratorConfig config,
      OrchestratorPorts ports,
      Clock clock,
      Sleeper sleeper,
      String owner,
      FailureDetector detector) {
    this.config = config;
    this.ports = ports;
    this.clock = clock;
    this.sleeper = sleeper;
    this.owner = owner;
    this.guards = new Guards(config);
    this.history = new RunHistory(ports.control());
    this.detector = detector;
  }

  public OrchestratorConfig config() {
    return config;
  }

  public OrchestratorPorts ports() {
    return ports;
  }

  public FailureDetector detector() {
    return detector;
  }

  public RunHistory history() {
    return history;
  }

  // ---------------------------------------------------------------------------------------------
  // Runs

  /**
   * Runs {@code request} under the run lease. When an unfinished run is in the journal, that run is
   * resumed instead (its result says {@code resumed}), and the request must be made again if still
   * wanted: it is judged afresh against the state the resumed run left.
   */
  public RunResult run(RunRequest request) {
    RunLease lease;
    try {
      lease = ports.control().acquireRunLease(owner, config.runLeaseTtl());
    } catch (ConflictException e) {
      return refusedByRunLease(request, e);
    } catch (UnreachableException e) {
      return notJournaled(request, "controlStore: unreachable, no run started: " + e.getMessage());
    }
    RunLeaseKeeper keeper = new RunLeaseKeeper(ports.control(), lease, config.runLeaseTtl(), clock);
    RunResult result;
    try {
      Optional<String> unfinished = history.unfinished(LOOKBACK);
      result = unfinished.isPresent() ? resume(unfinished.get(), keeper) : start(request, keeper);
    } catch (UnreachableException e) {
      return notJournaled(request, "controlStore: unreachable: " + e.getMessage());
    } finally {
      keeper.close();
    }
    if (result.outcome() != RunOutcome.INTERRUPTED) {
      keeper.release();
    }
    return result;
  }

  /** Resumes the unfinished run in the journal, if there is one. */
  public Optional<RunResult> resumeUnfinished() {
    Optional<String> unfinished = history.unfinished(LOOKBACK);
    if (unfinished.isEmpty()) {
      return Optional.empty();
    }
    RunLease lease;
    try {
      lease = ports.control().acquireRunLease(owner, config.runLeaseTtl());
    } catch (ConflictException e) {
      Map<String, String> facts = RunHistory.facts(ports.control().entries(unfinished.get()));
      return Optional.of(
          new RunResult(
              unfinished.get(),
              RunKind.valueOf(facts.getOrDefault(Facts.KIND, RunKind.FAILOVER.name())),
              RunOutcome.REFUSED,
              "",
              "",
              runLeaseHeldReason(e),
              List.of(),
              true));
    }
    RunLeaseKeeper keeper = new RunLeaseKeeper(ports.control(), lease, config.runLeaseTtl(), clock);
    RunResult result;
    try {
      Optional<String> still = history.unfinished(LOOKBACK);
      if (still.isEmpty()) {
        keeper.release();
        return Optional.empty();
      }
      result = resume(still.get(), keeper);
    } finally {
      keeper.close();
    }
    if (result.outcome() != RunOutcome.INTERRUPTED) {
      keeper.release();
    }
    return Optional.of(result);
  }

  private RunResult start(RunRequest request, RunLeaseKeeper keeper) {
    String runId = newRunId(request.kind());
    RunContext ctx =
        new RunContext(
            runId,
            request.kind(),
            request.trigger(),
            request.force(),
            request.detection(),
            keeper,
            0,
            new RunStateMachine(),
            false);
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put(Facts.KIND, request.kind().name());
    attrs.put(Facts.TRIGGER, request.trigger().name());
    attrs.put(Facts.FORCE, Boolean.toString(request.force()));
    attrs.put(Facts.OWNER, owner);
    attrs.put(Facts.REQUESTED_BY, request.requestedBy());
    ctx.facts.putAll(attrs);
    LOG.info(
        "run {}: {} requested by {} ({})",
        runId,
        request.kind().label(),
        request.requestedBy(),
        request.trigger());
    append(
        ctx,
        RUN,
        Phase.STARTED,
        request.kind().label()
            + " requested by "
            + request.requestedBy()
            + " ("
            + request.trigger().name().toLowerCase(java.util.Locale.ROOT)
            + (request.force() ? ", forced" : "")
            + ")",
        attrs);
    return execute(ctx, request.kind().steps());
  }

  private RunResult resume(String runId, RunLeaseKeeper keeper) {
    List<JournalEntry> entries = ports.control().entries(runId);
    Map<String, String> facts = RunHistory.facts(entries);
    RunKind kind = RunKind.valueOf(facts.get(Facts.KIND));
    Set<String> completed = new HashSet<>();
    Optional<JournalEntry> stepEnded = Optional.empty();
    for (JournalEntry e : entries) {
      if (RunState.ofStep(e.step()).isEmpty()) {
        continue;
      }
      if (e.phase() == Phase.COMPLETED) {
        completed.add(e.step());
      } else if (e.phase() == Phase.FAILED || e.phase() == Phase.REFUSED) {
        stepEnded = Optional.of(e);
      }
    }
    List<RunState> plan = kind.steps();
    int next = 0;
    while (next < plan.size() && completed.contains(plan.get(next).step())) {
      next++;
    }
    RunState restored = next == 0 ? RunState.NEW : plan.get(next - 1);
    RunContext ctx =
        new RunContext(
            runId,
            kind,
            Trigger.valueOf(facts.getOrDefault(Facts.TRIGGER, Trigger.OPERATOR.name())),
            Boolean.parseBoolean(facts.get(Facts.FORCE)),
            Optional.empty(),
            keeper,
            entries.getLast().sequence() + 1,
            new RunStateMachine(restored),
            true);
    ctx.facts.putAll(facts);
    String at = next < plan.size() ? plan.get(next).step() : "the end";
    LOG.warn("run {}: resuming {} from its journal at {}", runId, kind.label(), at);
    append(
        ctx,
        RUN,
        Phase.STARTED,
        "resumed by " + owner + " from the journal at step " + at,
        Map.of("resumedBy", owner));
    if (stepEnded.isPresent()) {
      JournalEntry ended = stepEnded.get();
      RunState state = RunState.ofStep(ended.step()).orElseThrow();
      ctx.machine = new RunStateMachine(state);
      return finish(
          ctx,
          ended.phase() == Phase.REFUSED ? RunOutcome.REFUSED : RunOutcome.FAILED,
          ended.reason());
    }
    return execute(ctx, plan.subList(next, plan.size()));
  }

  private RunResult execute(RunContext ctx, List<RunState> steps) {
    Instant started = clock.instant();
    try {
      for (RunState state : steps) {
        Decision d = executeStep(ctx, state);
        if (!d.allowsNext()) {
          return finish(
              ctx,
              d.verdict() == Verdict.REFUSED ? RunOutcome.REFUSED : RunOutcome.FAILED,
              d.reason());
        }
      }
      return finish(ctx, RunOutcome.COMPLETED, completedReason(ctx, started));
    } catch (RunStoppedException e) {
      return interrupted(ctx, e.getMessage());
    }
  }

  private String completedReason(RunContext ctx, Instant started) {
    return ctx.kind.label()
        + " "
        + ctx.from()
        + " -> "
        + ctx.to()
        + " completed in "
        + Durations.format(Duration.between(started, clock.instant()))
        + ": "
        + ctx.to()
        + " holds the write lease at epoch "
        + ctx.facts.getOrDefault(Facts.LEASE_GRANTED_EPOCH, "?")
        + " and receives traffic";
  }

  private Decision executeStep(RunContext ctx, RunState state) {
    ctx.keeper.renewOrThrow();
    ctx.machine.moveTo(state);
    Map<String, String> inputs = prepare(ctx, state);
    inputs.forEach(ctx.facts::putIfAbsent);
    append(ctx, state.step(), Phase.STARTED, "starting: " + describe(ctx, state), inputs);
    Instant t0 = clock.instant();
    Decision d;
    try {
      d = act(ctx, state);
    } catch (RunStoppedException e) {
      throw e;
    } catch (UnreachableException e) {
      d =
          Decision.failed(
              state.step(), "unreachable: " + e.getMessage(), Map.of("error", "unreachable"));
    } catch (RefusedException e) {
      d = Decision.failed(state.step(), "refused: " + e.getMessage(), Map.of("error", "refused"));
    } catch (RuntimeException e) {
      d =
          Decision.failed(
              state.step(),
              e.getClass().getSimpleName() + ": " + e.getMessage(),
              Map.of("error", e.getClass().getSimpleName()));
    }
    d =
        d.withFacts(
            Map.of("durationMs", Long.toString(Duration.between(t0, clock.instant()).toMillis())));
    logDecision(ctx, d);
    ctx.decisions.add(d);
    ctx.facts.putAll(d.facts());
    append(ctx, state.step(), phaseOf(d), d.reason(), d.facts());
    return d;
  }

  private RunResult finish(RunContext ctx, RunOutcome outcome, String reason) {
    RunState terminal =
        switch (outcome) {
          case COMPLETED -> RunState.COMPLETED;
          case REFUSED -> RunState.REFUSED;
          default -> RunState.FAILED;
        };
    ctx.machine.moveTo(terminal);
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put("outcome", outcome.name());
    if (outcome == RunOutcome.FAILED
        || (outcome == RunOutcome.REFUSED && ctx.trigger == Trigger.AUTOMATIC)) {
      attrs.put("notified", notifyQuietly(ctx, Notification.Severity.CRITICAL, outcome, reason));
    }
    append(
        ctx,
        RUN,
        outcome == RunOutcome.COMPLETED
            ? Phase.COMPLETED
            : outcome == RunOutcome.REFUSED ? Phase.REFUSED : Phase.FAILED,
        reason,
        attrs);
    if (outcome == RunOutcome.COMPLETED) {
      LOG.info("run {}: {}", ctx.runId, reason);
    } else {
      LOG.warn("run {}: {} {}", ctx.runId, outcome, reason);
    }
    return result(ctx, outcome, reason);
  }

  private RunResult interrupted(RunContext ctx, String reason) {
    LOG.warn("run {}: stopped at {}: {}", ctx.runId, ctx.machine.current(), reason);
    try {
      append(
          ctx,
          RUN_LEASE_STEP,
          Phase.REFUSED,
          reason + "; stopped at " + ctx.machine.current().step() + ", resumable from the journal",
          Map.of("stoppedAt", ctx.machine.current().step()));
    } catch (RunStoppedException | UnreachableException e) {
      LOG.warn("run {}: could not journal the stop: {}", ctx.runId, e.getMessage());
    }
    return result(ctx, RunOutcome.INTERRUPTED, reason);
  }

  private RunResult result(RunContext ctx, RunOutcome outcome, String reason) {
    return new RunResult(
        ctx.runId,
        ctx.kind,
        outcome,
        ctx.facts.getOrDefault(Facts.FROM, ""),
        ctx.facts.getOrDefault(Facts.TO, ""),
        reason,
        ctx.decisions,
        ctx.resumed);
  }

  private RunResult refusedByRunLease(RunRequest request, ConflictException e) {
    String reason = runLeaseHeldReason(e);
    String runId = newRunId(request.kind());
    Map<String, String> attrs = new LinkedHashMap<>();
    attrs.put(Facts.KIND, request.kind().name());
    attrs.put(Facts.TRIGGER, request.trigger().name());
    attrs.put(Facts.OWNER, owner);
    attrs.put(Facts.REQUESTED_BY, request.requestedBy());
    try {
      // A refused attempt is journaled as a one-entry run (terminal at once, so never resumed),
      // so history shows double triggers.
      attrs.put("outcome", RunOutcome.REFUSED.name());
      ports
          .control()
          .append(new JournalEntry(runId, 0, clock.instant(), RUN, Phase.REFUSED, reason, attrs));
    } catch (RuntimeException journalError) {
      LOG.warn(
          "could not journal the refused {}: {}", request.kind().label(), journalError.toString());
    }
    LOG.warn("{} refused: {}", request.kind().label(), reason);
    Decision d =
        Decision.refused(
            Guards.RUN_LEASE, reason.substring(Guards.RUN_LEASE.length() + 2), Map.of());
    return new RunResult(
        runId, request.kind(), RunOutcome.REFUSED, "", "", reason, List.of(d), false);
  }

  private String runLeaseHeldReason(ConflictException e) {
    try {
      return ports
          .control()
          .currentRunLease()
          .map(l -> "runLease: held by " + l.owner() + " until " + l.expiresAt())
          .orElse("runLease: " + e.getMessage());
    } catch (RuntimeException readError) {
      return "runLease: " + e.getMessage();
    }
  }

  private RunResult notJournaled(RunRequest request, String reason) {
    LOG.error("{} not run: {}", request.kind().label(), reason);
    return new RunResult("", request.kind(), RunOutcome.FAILED, "", "", reason, List.of(), false);
  }

  private String newRunId(RunKind kind) {
    String stamp =
        java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")
            .withZone(java.time.ZoneOffset.UTC)
            .format(clock.instant());
    return kind.label() + "-" + stamp + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private void append(
      RunContext ctx, String step, Phase phase, String reason, Map<String, String> attrs) {
    JournalEntry entry =
        new JournalEntry(ctx.runId, ctx.nextSequence, clock.instant(), step, phase, reason, attrs);
    try {
      ports.control().append(entry);
    } catch (ConflictException e) {
      throw new RunStoppedException(
          "runLease: another orchestrator has journaled this run at sequence "
              + ctx.nextSequence
              + "; this instance stops");
    } catch (UnreachableException e) {
      throw new RunStoppedException(
          "controlStore: unreachable, the journal cannot be written ("
              + e.getMessage()
              + "); the run resumes from its journal");
    }
    ctx.nextSequence++;
  }

  private static Phase phaseOf(Decision d) {
    return switch (d.verdict()) {
      case PROCEED, ALREADY_DONE -> Phase.COMPLETED;
      case REFUSED -> Phase.REFUSED;
      case FAILED -> Phase.FAILED;
    };
  }

  private void logDecision(RunContext ctx, Decision d) {
    if (d.allowsNext()) {
      LOG.info("run {} {}: {} {}", ctx.runId, d.step(), d.verdict(), d.reason());
    } else {
      LOG.warn("run {} {}: {} {}", ctx.runId, d.step(), d.verdict(), d.reason());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Steps

  private Map<String, String> prepare(RunContext ctx, RunState state) {
    Map<String, String> inputs = new LinkedHashMap<>();
    if (ctx.facts.containsKey(Facts.FROM)) {
      inputs.put(Facts.FROM, ctx.from().value());
      inputs.put(Facts.TO, ctx.to().value());
    }
    if (state == RunState.PROMOTE) {
      // Captured before the promotion, for the RPO ledger; a resumed attempt keeps the first one.
      try {
        ReplicationStatus s = ports.replication().status();
        Facts.putWatermark(inputs, Facts.PROMOTE_STANDBY_WATERMARK, s.standbyWatermark());
        Optional<Watermark> writer =
            s.writerWatermark().or(() -> Facts.watermark(ctx.facts, Facts.GUARDS_WRITER_WATERMARK));
        Facts.putWatermark(inputs, Facts.PROMOTE_WRITER_WATERMARK, writer);
        inputs.put("promote.mode", promotionMode(ctx).name());
      } catch (RuntimeException e) {
        inputs.put("promote.statusError", e.toString());
      }
    }
    return inputs;
  }

  private String describe(RunContext ctx, RunState state) {
    String from = ctx.facts.getOrDefault(Facts.FROM, "the writer");
    String to = ctx.facts.getOrDefault(Facts.TO, "the standby");
    return switch (state) {
      case GUARDS -> "evaluate the " + ctx.kind.label() + " guards";
      case RPO_LEDGER -> "take the RPO ledger of the failover from " + to + " to " + from;
      case REJOIN -> "rejoin " + to + " as a standby of " + from;
      case AWAIT_REPLICATION ->
          "wait until " + to + " lags at most " + Durations.format(config.maxLagOnFailover());
      case REVOKE_LEASE -> "revoke " + from + "'s write lease";
      case FENCE_WRITER -> "make " + from + "'s database refuse writes";
      case AWAIT_LEASE_EXPIRY -> "wait until " + from + "'s last write lease has expired";
      case AWAIT_CAUGHT_UP -> "wait until " + to + " has replayed all " + from + " committed";
      case PROMOTE -> "promote " + to + " (" + promotionMode(ctx) + ")";
      case GRANT_LEASE -> "grant the write lease to " + to;
      case ROUTE -> "route traffic to " + to + " (" + routeMode(ctx) + ")";
      case SCALE -> "scale " + to + " to " + config.writerCapacity();
      case NOTIFY -> "notify";
      case RECORD_WATERMARK -> "record the replication watermarks for the RPO ledger";
      default -> state.step();
    };
  }

  private PromotionMode promotionMode(RunContext ctx) {
    return ctx.kind == RunKind.FAILOVER
        ? PromotionMode.ALLOW_DATA_LOSS
        : PromotionMode.NO_DATA_LOSS;
  }

  private RouteMode routeMode(RunContext ctx) {
    return ctx.kind == RunKind.FAILOVER ? RouteMode.EMERGENCY : RouteMode.PLANNED;
  }

  private Decision act(RunContext ctx, RunState state) {
    return switch (state) {
      case GUARDS -> guardsStep(ctx);
      case RPO_LEDGER -> rpoLedger(ctx);
      case REJOIN -> rejoin(ctx);
      case AWAIT_REPLICATION -> awaitReplication(ctx);
      case REVOKE_LEASE -> revokeLease(ctx);
      case FENCE_WRITER -> fenceWriter(ctx);
      case AWAIT_LEASE_EXPIRY -> awaitLeaseExpiry(ctx);
      case AWAIT_CAUGHT_UP -> awaitCaughtUp(ctx);
      case PROMOTE -> promote(ctx);
      case GRANT_LEASE -> grantLease(ctx);
      case ROUTE -> route(ctx);
      case SCALE -> scale(ctx);
      case NOTIFY -> notifyStep(ctx);
      case RECORD_WATERMARK -> recordWatermark(ctx);
      default -> throw new IllegalStateException("not a step: " + state);
    };
  }

  private Decision guardsStep(RunContext ctx) {
    RunRequest request =
        new RunRequest(
            ctx.kind,
            ctx.trigger,
            ctx.force,
            ctx.facts.getOrDefault(Facts.REQUESTED_BY, owner),
            ctx.detection);
    Guards.Observation o = observe(request);
    List<Decision> results = guards.evaluate(request, o);
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put(Facts.FROM, o.from().value());
    facts.put(Facts.TO, o.to().value());
    Facts.putWatermark(
        facts,
        Facts.GUARDS_WRITER_WATERMARK,
        o.status().writerWatermark().or(() -> lastWriterWatermark));
    o.status().lag().ifPresent(l -> facts.put(Facts.LAG, Durations.format(l)));
    for (Decision g : results) {
      facts.put("guard." + g.step(), g.verdict() + " " + g.reason());
      g.facts().forEach(facts::putIfAbsent);
    }
    ctx.facts.put(Facts.FROM, o.from().value());
    ctx.facts.put(Facts.TO, o.to().value());
    Optional<Decision> refusal =
        results.stream().filter(g -> g.verdict() == Verdict.REFUSED).findFirst();
    if (refusal.isPresent()) {
      return new Decision(RunState.GUARDS.step(), Verdict.REFUSED, refusal.get().reason(), facts);
    }
    return Decision.proceed(
        RunState.GUARDS.step(),
        "guards: all passed ("
            + results.stream().map(Decision::step).collect(Collectors.joining(", "))
            + ")",
        facts);
  }

  /** Reads the replication status now (the health monitor does, every round). */
  public ReplicationStatus observeReplication() {
    return replicationStatus();
  }

  /** Reads the replication status, remembering the writer's position while it can be seen. */
  private ReplicationStatus replicationStatus() {
    ReplicationStatus status = ports.replication().status();
    status.writerWatermark().ifPresent(w -> lastWriterWatermark = Optional.of(w));
    return status;
  }

  private Guards.Observation observe(RunRequest request) {
    ReplicationStatus status = replicationStatus();
    WriteLease lease = ports.control().read();
    RegionId from;
    RegionId to;
    if (request.kind() == RunKind.FAILBACK) {
      to = ports.topology().home();
      from = ports.topology().away();
    } else {
      from =
          status
              .writer()
              .or(lease::holder)
              .orElseGet(() -> ports.topology().other(status.standby()));
      to = ports.topology().other(from);
    }
    Optional<DetectionVerdict> detection =
        request
            .detection()
            .or(
                () ->
                    request.kind() == RunKind.FAILOVER
                        ? Optional.of(detector.assess(from))
                        : Optional.empty());
    List<ProbeResult> targetProbes = new ArrayList<>();
    if (request.kind() == RunKind.FAILBACK) {
      for (HealthProbe probe : ports.probes()) {
        targetProbes.add(probe.probe(to));
      }
    }
    return new Guards.Observation(
        from,
        to,
        status,
        ports.control().automaticFailoverPausedBecause(),
        history.lastPromotion(LOOKBACK),
        detection,
        targetProbes,
        clock.instant());
  }

  private Decision rpoLedger(RunContext ctx) {
    String step = RunState.RPO_LEDGER.step();
    Optional<FailoverRecord> failover = history.lastFailover(ctx.to(), ctx.from(), LOOKBACK);
    if (failover.isEmpty()) {
      return Decision.alreadyDone(
          step,
          "rpo-ledger: no unplanned failover from "
              + ctx.to()
              + " to "
              + ctx.from()
              + " to account for",
          Map.of());
    }
    String runId = failover.get().runId();
    Optional<RpoLedger> existing = ports.rpoLedgers().find(runId);
    if (existing.isPresent()) {
      return Decision.alreadyDone(
          step,
          "rpo-ledger: ledger of "
              + runId
              + " already taken at "
              + existing.get().builtAt()
              + " ("
              + existing.get().missing().size()
              + " orders)",
          Map.of(
              "rpo.failoverRunId",
              runId,
              "rpo.missing",
              Integer.toString(existing.get().missing().size())));
    }
    RpoLedger ledger =
        new RpoLedgerBuilder(ports.orderLedger(), config, clock).build(failover.get());
    ports.rpoLedgers().save(ledger);
    return Decision.proceed(
        step,
        "rpo-ledger: "
            + ledger.missing().size()
            + " orders that "
            + ctx.to()
            + " committed and "
            + ctx.from()
            + " lacks are saved in the ledger of "
            + runId
            + "; drctl reconcile replays or cancels them",
        Map.of(
            "rpo.failoverRunId", runId, "rpo.missing", Integer.toString(ledger.missing().size())));
  }

  private Decision rejoin(RunContext ctx) {
    String step = RunState.REJOIN.step();
    ReplicationStatus s = ports.replication().status();
    if (s.writer().filter(ctx.from()::equals).isPresent()
        && s.standby().equals(ctx.to())
        && s.standbyWatermark().isPresent()
        && s.lag().isPresent()) {
      return Decision.alreadyDone(
          step, "rejoin: " + ctx.to() + " already streams from " + ctx.from(), Map.of());
    }
    ports.replication().rejoinAsStandby(ctx.to(), ctx.from(), config.catchUpTimeout());
    return Decision.proceed(
        step, "rejoin: " + ctx.to() + " re-protected as a standby of " + ctx.from(), Map.of());
  }

  private Decision awaitReplication(RunContext ctx) {
    String step = RunState.AWAIT_REPLICATION.step();
    Instant deadline = clock.instant().plus(config.catchUpTimeout());
    while (true) {
      ReplicationStatus s = ports.replication().status();
      Optional<Duration> lag = s.standby().equals(ctx.to()) ? s.lag() : Optional.empty();
      if (lag.isPresent() && lag.get().compareTo(config.maxLagOnFailover()) <= 0) {
        return Decision.proceed(
            step,
            "await-replication: " + ctx.to() + " lags " + Durations.format(lag.get()),
            Map.of(Facts.LAG, Durations.format(lag.get())));
      }
      if (!clock.instant().isBefore(deadline)) {
        return Decision.failed(
            step,
            ctx.to()
                + " still "
                + lag.map(Durations::format).orElse("an unknown time")
                + " behind after catchUpTimeout "
                + Durations.format(config.catchUpTimeout()),
            Map.of());
      }
      pause(ctx, config.healthCheckInterval());
    }
  }

  private Decision revokeLease(RunContext ctx) {
    String step = RunState.REVOKE_LEASE.step();
    WriteLease lease = ports.control().read();
    Map<String, String> facts = new LinkedHashMap<>();
    if (lease.holder().isEmpty()) {
      // Revoked already (by an earlier attempt, or a failed run): its holder may have renewed up to
      // the revocation, which happened before now, so now + ttl bounds its last possible expiry.
      Instant deadline =
          latest(lease.expiresAt(), clock.instant())
              .plus(config.writeLeaseTtl())
              .plus(config.writeLeaseSafetyMargin());
      deadline =
          ctx.facts.containsKey(Facts.LEASE_EXPIRY_DEADLINE)
              ? Instant.parse(ctx.facts.get(Facts.LEASE_EXPIRY_DEADLINE))
              : deadline;
      facts.put(Facts.LEASE_REVOKED_EPOCH, lease.epoch().toString());
      facts.put(Facts.LEASE_EXPIRY_DEADLINE, deadline.toString());
      return Decision.alreadyDone(
          step,
          "revoke-lease: the write lease is already revoked at epoch " + lease.epoch(),
          facts);
    }
    if (lease.isHeldBy(ctx.to())) {
      return Decision.failed(
          step,
          "the write lease is held by "
              + ctx.to()
              + " at epoch "
              + lease.epoch()
              + ", not by "
              + ctx.from(),
          Map.of());
    }
    RegionId oldHolder = lease.holder().get();
    facts.put("lease.oldHolder", oldHolder.value());
    facts.put(Facts.LEASE_OLD_EXPIRES_AT, lease.expiresAt().toString());
    WriteLease revoked;
    try {
      revoked = ports.control().revoke(lease.epoch());
    } catch (ConflictException e) {
      WriteLease now = ports.control().read();
      if (now.holder().isEmpty() && now.epoch().equals(lease.epoch().next())) {
        revoked = now;
      } else {
        return Decision.failed(step, "the lease moved while revoking: " + e.getMessage(), facts);
      }
    }
    Instant revokedAt = latest(revoked.expiresAt(), clock.instant());
    // Any renewal by the old holder happened before the revocation: it expires by revokedAt + ttl.
    Instant deadline =
        latest(lease.expiresAt(), revokedAt.plus(config.writeLeaseTtl()))
            .plus(config.writeLeaseSafetyMargin());
    facts.put(Facts.LEASE_REVOKED_EPOCH, revoked.epoch().toString());
    facts.put(Facts.LEASE_EXPIRY_DEADLINE, deadline.toString());
    return Decision.proceed(
        step,
        "revoke-lease: "
            + oldHolder
            + "'s write lease revoked (epoch "
            + lease.epoch()
            + " -> "
            + revoked.epoch()
            + "); it cannot renew and stops writing by "
            + deadline,
        facts);
  }

  private static Instant latest(Instant a, Instant b) {
    return a.isAfter(b) ? a : b;
  }

  private Decision fenceWriter(RunContext ctx) {
    String step = RunState.FENCE_WRITER.step();
    try {
      ports.replication().fenceWriter(ctx.from());
    } catch (UnreachableException | RefusedException e) {
      if (ctx.kind == RunKind.FAILOVER) {
        return Decision.proceed(
            step,
            "fence-writer: "
                + ctx.from()
                + "'s database could not be fenced ("
                + e.getMessage()
                + "); relying on its write lease, which it can no longer renew",
            Map.of("fence", "lease-only"));
      }
      throw e;
    }
    return Decision.proceed(
        step,
        "fence-writer: " + ctx.from() + "'s database refuses writes",
        Map.of("fence", "database"));
  }

  private Decision awaitLeaseExpiry(RunContext ctx) {
    String step = RunState.AWAIT_LEASE_EXPIRY.step();
    String deadlineText = ctx.facts.get(Facts.LEASE_EXPIRY_DEADLINE);
    Instant deadline =
        deadlineText != null
            ? Instant.parse(deadlineText)
            : clock.instant().plus(config.writeLeaseTtl()).plus(config.writeLeaseSafetyMargin());
    Instant begin = clock.instant();
    if (!begin.isBefore(deadline)) {
      return Decision.alreadyDone(
          step,
          "await-lease-expiry: " + ctx.from() + "'s write lease expired by " + deadline,
          Map.of());
    }
    while (clock.instant().isBefore(deadline)) {
      Duration left = Duration.between(clock.instant(), deadline);
      pause(
          ctx,
          left.compareTo(config.runLeaseRenewInterval()) < 0
              ? left
              : config.runLeaseRenewInterval());
    }
    return Decision.proceed(
        step,
        "await-lease-expiry: waited "
            + Durations.format(Duration.between(begin, clock.instant()))
            + " until "
            + ctx.from()
            + "'s last write lease had expired ("
            + deadline
            + ", including the "
            + Durations.format(config.writeLeaseSafetyMargin())
            + " margin)",
        Map.of());
  }

  private void pause(RunContext ctx, Duration d) {
    try {
      sleeper.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new RunStoppedException("run: interrupted while waiting");
    }
    ctx.keeper.renewOrThrow();
  }

  private Decision awaitCaughtUp(RunContext ctx) {
    Watermark w = ports.replication().awaitCaughtUp(ctx.to(), config.catchUpTimeout());
    return Decision.proceed(
        RunState.AWAIT_CAUGHT_UP.step(),
        "await-caught-up: "
            + ctx.to()
            + " replayed everything "
            + ctx.from()
            + " committed ("
            + w.label()
            + ")",
        Facts.watermark("caughtUp", Optional.of(w)));
  }

  private Decision promote(RunContext ctx) {
    String step = RunState.PROMOTE.step();
    ReplicationStatus before = ports.replication().status();
    if (before.writer().filter(ctx.to()::equals).isPresent()) {
      return Decision.alreadyDone(
          step,
          "promote: "
              + ctx.to()
              + " is already the writer (observed in the replication status); not promoted again",
          Map.of());
    }
    PromotionMode mode = promotionMode(ctx);
    ports.replication().promote(ctx.to(), mode, config.promotionTimeout());
    ReplicationStatus after = ports.replication().status();
    if (after.writer().filter(ctx.to()::equals).isEmpty()) {
      return Decision.failed(
          step,
          "promotion of "
              + ctx.to()
              + " returned but the replication status shows writer "
              + after.writer().map(RegionId::value).orElse("none"),
          Map.of());
    }
    String standby =
        Facts.watermark(ctx.facts, Facts.PROMOTE_STANDBY_WATERMARK)
            .map(Watermark::label)
            .orElse("unknown");
    return Decision.proceed(
        step,
        "promote: " + ctx.to() + " promoted (" + mode + "); it had replayed up to " + standby,
        Map.of("promote.at", clock.instant().toString()));
  }

  private Decision grantLease(RunContext ctx) {
    String step = RunState.GRANT_LEASE.step();
    WriteLease lease = ports.control().read();
    if (lease.isHeldBy(ctx.to())) {
      return Decision.alreadyDone(
          step,
          "grant-lease: " + ctx.to() + " already holds the write lease at epoch " + lease.epoch(),
          Map.of(Facts.LEASE_GRANTED_EPOCH, lease.epoch().toString()));
    }
    if (lease.holder().isPresent()) {
      return Decision.failed(
          step,
          "the write lease is held by "
              + lease.holder().get()
              + " at epoch "
              + lease.epoch()
              + "; expected it revoked",
          Map.of());
    }
    WriteLease granted;
    try {
      granted = ports.control().grant(ctx.to(), lease.epoch(), config.writeLeaseTtl());
    } catch (ConflictException e) {
      WriteLease now = ports.control().read();
      if (now.isHeldBy(ctx.to())) {
        granted = now;
      } else {
        return Decision.failed(step, "the lease moved while granting: " + e.getMessage(), Map.of());
      }
    }
    return Decision.proceed(
        step,
        "grant-lease: "
            + ctx.to()
            + " may write at epoch "
            + granted.epoch()
            + " until "
            + granted.expiresAt()
            + " (renewed by its service)",
        Map.of(Facts.LEASE_GRANTED_EPOCH, granted.epoch().toString()));
  }

  private Decision route(RunContext ctx) {
    String step = RunState.ROUTE.step();
    RouteMode mode = routeMode(ctx);
    try {
      RoutingState current = ports.router().current();
      if (current.active().filter(ctx.to()::equals).isPresent()
          && current.weights().getOrDefault(ctx.to(), 0) == 100) {
        return Decision.alreadyDone(
            step,
            "route: traffic already goes to " + ctx.to() + " (" + current.detail() + ")",
            Map.of());
      }
    } catch (UnreachableException | RefusedException e) {
      LOG.info("run {}: routing state unreadable ({}), routing anyway", ctx.runId, e.getMessage());
    }
    ports.router().routeTo(ctx.to(), mode, config.routingTimeout());
    return Decision.proceed(
        step,
        "route: traffic goes to " + ctx.to() + " (" + mode + ")",
        Map.of("route.mode", mode.name()));
  }

  private Decision scale(RunContext ctx) {
    String step = RunState.SCALE.step();
    Map<String, String> facts = new LinkedHashMap<>();
    String reason;
    Verdict verdict;
    if (ports.capacity().inService(ctx.to()) >= config.writerCapacity()) {
      verdict = Verdict.ALREADY_DONE;
      reason = "scale: " + ctx.to() + " already has " + config.writerCapacity() + " in service";
    } else {
      ports.capacity().scaleTo(ctx.to(), config.writerCapacity(), config.scaleTimeout());
      verdict = Verdict.PROCEED;
      reason = "scale: " + ctx.to() + " has " + config.writerCapacity() + " in service";
    }
    facts.put("scale.writer", ctx.to() + "=" + config.writerCapacity());
    if (ctx.kind != RunKind.FAILOVER) {
      // Planned runs leave the old writer as a warm standby; failing to shrink it only costs money.
      try {
        if (ports.capacity().inService(ctx.from()) > config.standbyCapacity()) {
          ports.capacity().scaleTo(ctx.from(), config.standbyCapacity(), config.scaleTimeout());
        }
        facts.put("scale.standby", ctx.from() + "=" + config.standbyCapacity());
      } catch (UnreachableException | RefusedException e) {
        facts.put("scale.standby", "not scaled down: " + e.getMessage());
        reason = reason + "; " + ctx.from() + " not scaled down (" + e.getMessage() + ")";
      }
    }
    return new Decision(step, verdict, reason, facts);
  }

  private Decision notifyStep(RunContext ctx) {
    Notification.Severity severity =
        ctx.kind == RunKind.FAILOVER ? Notification.Severity.CRITICAL : Notification.Severity.INFO;
    String result = notifyQuietly(ctx, severity, RunOutcome.COMPLETED, "all steps done");
    return Decision.proceed(
        RunState.NOTIFY.step(), "notify: " + result, Map.of("notified", result));
  }

  private String notifyQuietly(
      RunContext ctx, Notification.Severity severity, RunOutcome outcome, String reason) {
    String subject =
        "[trading-dr] "
            + ctx.kind.label()
            + " "
            + ctx.facts.getOrDefault(Facts.FROM, "?")
            + " -> "
            + ctx.facts.getOrDefault(Facts.TO, "?")
            + " "
            + outcome.name().toLowerCase(java.util.Locale.ROOT);
    StringBuilder body = new StringBuilder(subject).append("\nrun ").append(ctx.runId).append('\n');
    body.append(reason).append('\n');
    for (Decision d : ctx.decisions) {
      body.append("- ")
          .append(d.step())
          .append(": ")
          .append(d.verdict())
          .append(' ')
          .append(d.reason())
          .append('\n');
    }
    try {
      ports
          .notifier()
          .notify(
              new Notification(
                  clock.instant(),
                  severity,
                  subject,
                  body.toString(),
                  Map.of(
                      "runId",
                      ctx.runId,
                      Facts.KIND,
                      ctx.kind.name(),
                      "outcome",
                      outcome.name(),
                      Facts.FROM,
                      ctx.facts.getOrDefault(Facts.FROM, ""),
                      Facts.TO,
                      ctx.facts.getOrDefault(Facts.TO, ""))));
      return "sent";
    } catch (RuntimeException e) {
      LOG.warn("run {}: notification failed: {}", ctx.runId, e.toString());
      return "not delivered (" + e.getMessage() + ")";
    }
  }

  private Decision recordWatermark(RunContext ctx) {
    Optional<Watermark> standby = Facts.watermark(ctx.facts, Facts.PROMOTE_STANDBY_WATERMARK);
    Optional<Watermark> writer =
        Facts.watermark(ctx.facts, Facts.PROMOTE_WRITER_WATERMARK)
            .or(() -> Facts.watermark(ctx.facts, Facts.GUARDS_WRITER_WATERMARK));
    Map<String, String> facts = new LinkedHashMap<>();
    Facts.putWatermark(facts, "rpo.standbyAtPromotion", standby);
    Facts.putWatermark(facts, "rpo.oldWriterLastKnown", writer);
    String gap =
        standby.isPresent() && writer.isPresent()
            ? Long.toString(Math.max(0, writer.get().sequence() - standby.get().sequence()))
            : "unknown";
    facts.put("rpo.gap", gap);
    return Decision.proceed(
        RunState.RECORD_WATERMARK.step(),
        "record-watermark: "
            + ctx.to()
            + " was promoted at "
            + standby.map(Watermark::label).orElse("an unknown position")
            + "; "
            + ctx.from()
            + " was last seen at "
            + writer.map(Watermark::label).orElse("an unknown position")
            + " (gap "
            + gap
            + "); once "
            + ctx.from()
            + " can be read, drctl reconcile lists what it committed and "
            + ctx.to()
            + " lacks",
        facts);
  }

  // ---------------------------------------------------------------------------------------------
  // Dry run, switches, status, history

  /** What {@code request} would do now, with each guard's outcome. Changes nothing. */
  public RunPlan plan(RunRequest request) {
    List<Decision> decisions = new ArrayList<>();
    try {
      Optional<RunLease> held =
          ports.control().currentRunLease().filter(l -> clock.instant().isBefore(l.expiresAt()));
      decisions.add(
          held.map(
                  l ->
                      Decision.refused(
                          Guards.RUN_LEASE,
                          "held by " + l.owner() + " until " + l.expiresAt(),
                          Map.of()))
              .orElse(Decision.proceed(Guards.RUN_LEASE, Guards.RUN_LEASE + ": free")));
      Optional<String> unfinished = history.unfinished(LOOKBACK);
      unfinished.ifPresent(
          id ->
              decisions.add(
                  Decision.proceed(
                      "unfinishedRun",
                      "unfinishedRun: run " + id + " is unfinished and will be resumed first",
                      Map.of("runId", id))));
    } catch (UnreachableException e) {
      decisions.add(
          Decision.refused(
              Guards.RUN_LEASE, "control store unreachable: " + e.getMessage(), Map.of()));
    }
    Guards.Observation o = observe(request);
    decisions.addAll(guards.evaluate(request, o));
    RunContext ctx =
        new RunContext(
            "dry-run",
            request.kind(),
            request.trigger(),
            request.force(),
            request.detection(),
            null,
            0,
            new RunStateMachine(),
            false);
    ctx.facts.put(Facts.FROM, o.from().value());
    ctx.facts.put(Facts.TO, o.to().value());
    List<RunPlan.PlannedStep> steps = new ArrayList<>();
    for (RunState s : request.kind().steps()) {
      steps.add(new RunPlan.PlannedStep(s.step(), describe(ctx, s)));
    }
    return new RunPlan(request.kind(), o.from().value(), o.to().value(), decisions, steps);
  }

  /** Pauses automatic failover in the control store; journaled as a one-entry run. */
  public Decision pauseAutomaticFailover(String reason) {
    ports.control().pauseAutomaticFailover(reason);
    Decision d =
        Decision.proceed(
            "pause",
            "pause: automatic failover paused by " + reason,
            Map.of("pausedBecause", reason));
    journalSwitch("PAUSE", d);
    return d;
  }

  /** Resumes automatic failover; journaled as a one-entry run. */
  public Decision resumeAutomaticFailover(String by) {
    ports.control().resumeAutomaticFailover();
    Decision d =
        Decision.proceed("resume", "resume: automatic failover resumed by " + by, Map.of());
    journalSwitch("RESUME", d);
    return d;
  }

  /**
   * Grants the first write lease (epoch 0, never granted) to {@code writer}; refuses once any run
   * has moved the lease. Journaled as a one-entry run.
   */
  public Decision bootstrapWriteLease(RegionId writer) {
    WriteLease lease = ports.control().read();
    Decision d;
    if (lease.isHeldBy(writer)) {
      d =
          Decision.alreadyDone(
              "bootstrap",
              "bootstrap: " + writer + " already holds the write lease at epoch " + lease.epoch(),
              Map.of());
    } else if (!lease.epoch().equals(Epoch.ZERO) || lease.holder().isPresent()) {
      d =
          Decision.refused(
              "bootstrap",
              "the write lease has history (epoch "
                  + lease.epoch()
                  + ", holder "
                  + lease.holder().map(RegionId::value).orElse("none")
                  + "); move it with a switchover or failover",
              Map.of());
    } else {
      WriteLease granted = ports.control().grant(writer, Epoch.ZERO, config.writeLeaseTtl());
      d =
          Decision.proceed(
              "bootstrap",
              "bootstrap: " + writer + " may write at epoch " + granted.epoch(),
              Map.of(Facts.LEASE_GRANTED_EPOCH, granted.epoch().toString()));
    }
    journalSwitch("BOOTSTRAP", d);
    return d;
  }

  /**
   * Journals an operator action that is not a run (pause, resume, reconcile, bootstrap) as a
   * one-entry run of {@code kind}, so history shows it with its reason.
   */
  public void journalDecision(String kind, Decision d) {
    journalSwitch(kind, d);
  }

  private void journalSwitch(String kind, Decision d) {
    String runId =
        kind.toLowerCase(java.util.Locale.ROOT)
            + "-"
            + UUID.randomUUID().toString().substring(0, 8);
    Map<String, String> attrs = new LinkedHashMap<>(d.facts());
    attrs.put(Facts.KIND, kind);
    attrs.put(Facts.TRIGGER, Trigger.OPERATOR.name());
    attrs.put(Facts.OWNER, owner);
    ports
        .control()
        .append(new JournalEntry(runId, 0, clock.instant(), RUN, phaseOf(d), d.reason(), attrs));
    LOG.info("{}", d.reason());
  }

  /** Every region's role, health per observer, lag, routing weight, epoch, and the last run. */
  public StatusReport status() {
    Instant now = clock.instant();
    List<String> problems = new ArrayList<>();
    Optional<ReplicationStatus> status =
        read("replication", problems, () -> ports.replication().status());
    Optional<WriteLease> lease = read("controlStore", problems, () -> ports.control().read());
    Optional<RoutingState> routing = read("router", problems, () -> ports.router().current());
    Optional<String> paused =
        read(
            "controlStore",
            problems,
            () -> ports.control().automaticFailoverPausedBecause().orElse(""));
    Optional<RunSummary> lastRun =
        read("controlStore", problems, () -> history.recent(1))
            .flatMap(l -> l.stream().findFirst());
    List<StatusReport.RegionStatus> regions = new ArrayList<>();
    for (RegionId region : ports.topology().regions()) {
      Map<String, String> health = new LinkedHashMap<>();
      for (HealthProbe probe : ports.probes()) {
        ProbeResult r = probe.probe(region);
        detector.record(r);
        health.put(
            r.observer(),
            (r.healthy() ? "up" : "down")
                + " ("
                + r.detail()
                + ", "
                + r.latency().toMillis()
                + "ms)");
      }
      io.tradingdr.core.region.RegionRole role =
          status.isPresent() && lease.isPresent()
              ? RegionView.of(region, lease.get(), status.get(), now).role()
              : io.tradingdr.core.region.RegionRole.UNKNOWN;
      Optional<String> watermark =
          status.flatMap(
              s ->
                  s.writer().filter(region::equals).isPresent()
                      ? s.writerWatermark().map(Watermark::label)
                      : s.standby().equals(region)
                          ? s.standbyWatermark().map(Watermark::label)
                          : Optional.empty());
      regions.add(
          new StatusReport.RegionStatus(
              region.value(),
              role,
              health,
              routing.map(r -> r.weights().getOrDefault(region, 0)),
              lease.map(l -> l.epoch().value()).orElse(-1L),
              lease.map(l -> l.isValidFor(region, now)).orElse(false),
              watermark));
    }
    String leaseText =
        lease
            .map(
                l ->
                    l.holder().map(h -> "held by " + h).orElse("revoked")
                        + " at epoch "
                        + l.epoch()
                        + (l.holder().isPresent() ? ", expires " + l.expiresAt() : ""))
            .orElse("unknown");
    String automatic =
        config.automaticFailover() == io.tradingdr.core.config.AutomaticFailover.PAUSED
            ? "PAUSED by configuration"
            : paused
                .filter(p -> !p.isEmpty())
                .map(p -> "PAUSED by " + p)
                .orElse(paused.isPresent() ? "ON" : "unknown");
    return new StatusReport(
        now,
        regions,
        status.flatMap(ReplicationStatus::lag),
        status.map(ReplicationStatus::synchronous).orElse(false),
        leaseText,
        automatic,
        lastRun,
        problems);
  }

  private static <T> Optional<T> read(
      String part, List<String> problems, java.util.function.Supplier<T> reader) {
    try {
      return Optional.ofNullable(reader.get());
    } catch (UnreachableException | RefusedException e) {
      String problem = part + ": unreachable: " + e.getMessage();
      if (!problems.contains(problem)) {
        problems.add(problem);
      }
      return Optional.empty();
    }
  }

  /** The most recent runs from the journal, newest first. */
  public List<RunSummary> history(int limit) {
    return history.recent(limit).stream()
        .sorted(Comparator.comparing(RunSummary::startedAt).reversed())
        .toList();
  }

  /** The failover record of run {@code runId}, for building its RPO ledger. */
  public Optional<FailoverRecord> failoverRecord(String runId) {
    List<JournalEntry> entries = ports.control().entries(runId);
    Optional<RunSummary> summary = RunHistory.summarize(entries);
    if (summary.isEmpty()
        || !summary.get().kind().equals(RunKind.FAILOVER.name())
        || summary.get().promotedAt().isEmpty()) {
      return Optional.empty();
    }
    Map<String, String> facts = RunHistory.facts(entries);
    return Optional.of(
        new FailoverRecord(
            runId,
            RegionId.of(summary.get().from()),
            RegionId.of(summary.get().to()),
            summary.get().promotedAt().get(),
            Facts.watermark(facts, Facts.PROMOTE_STANDBY_WATERMARK),
            Facts.watermark(facts, Facts.PROMOTE_WRITER_WATERMARK)));
  }

  /** The newest failover that promoted a database, if any. */
  public Optional<FailoverRecord> lastFailoverRecord() {
    return history.recent(LOOKBACK).stream()
        .filter(r -> r.kind().equals(RunKind.FAILOVER.name()) && r.promotedAt().isPresent())
        .findFirst()
        .flatMap(r -> failoverRecord(r.runId()));
  }

  /** Mutable state of one run in this process. */
  private static final class RunContext {
    final String runId;
    final RunKind kind;
    final Trigger trigger;
    final boolean force;
    final Optional<DetectionVerdict> detection;
    final RunLeaseKeeper keeper;
    final boolean resumed;
    final Map<String, String> facts = new LinkedHashMap<>();
    final List<Decision> decisions = new ArrayList<>();
    long nextSequence;
    RunStateMachine machine;

    RunContext(
        String runId,
        RunKind kind,
        Trigger trigger,
        boolean force,
        Optional<DetectionVerdict> detection,
        RunLeaseKeeper keeper,
        long nextSequence,
        RunStateMachine machine,
        boolean resumed) {
      this.runId = runId;
      this.kind = kind;
      this.trigger = trigger;
      this.force = force;
      this.detection = detection;
      this.keeper = keeper;
      this.nextSequence = nextSequence;
      this.machine = machine;
      this.resumed = resumed;
    }

    RegionId from() {
      return RegionId.of(facts.get(Facts.FROM));
    }

    RegionId to() {
      return RegionId.of(facts.get(Facts.TO));
    }
  }
}
