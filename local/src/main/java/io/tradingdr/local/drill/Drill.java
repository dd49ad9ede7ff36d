package io.tradingdr.local.drill;

import io.tradingdr.aws.reconcile.ServiceOrderReconciliation;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.decision.Decision;
import io.tradingdr.core.port.JournalEntry;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.FailoverRecord;
import io.tradingdr.core.rpo.ReconcileAction;
import io.tradingdr.core.rpo.Reconciler;
import io.tradingdr.core.rpo.RpoLedger;
import io.tradingdr.core.rpo.RpoLedgerBuilder;
import io.tradingdr.core.run.HealthMonitor;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.run.OrchestratorPorts;
import io.tradingdr.core.run.RunKind;
import io.tradingdr.core.run.RunOutcome;
import io.tradingdr.core.run.RunRequest;
import io.tradingdr.core.run.RunResult;
import io.tradingdr.core.run.Sleeper;
import io.tradingdr.local.db.PostgresStreamingReplication;
import io.tradingdr.local.dns.TtlCachingResolver;
import io.tradingdr.local.drill.DrillRunResult.Bucket;
import io.tradingdr.local.drill.DrillRunResult.Timeline;
import io.tradingdr.local.drill.OrderLoad.Attempt;
import io.tradingdr.local.net.NetworkPartition;
import io.tradingdr.local.orchestration.LocalOrchestration;
import io.tradingdr.local.orchestration.RoundProbes;
import io.tradingdr.local.regions.LocalRegions;
import io.tradingdr.local.regions.LocalRegionsSettings;
import io.tradingdr.local.sessions.DynamoDbSessionReplicator;
import io.tradingdr.local.sessions.LagRecorder;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * The failover game-day on the local regions: order load through the DNS name, a fault, the
 * orchestrator acting on its own (health monitor) or at the operator's request, then the figures
 * (RTO, unavailability, step times, RPO, split brain, lag) and the invariants checked per run,
 * followed by a failback that must leave the old primary as a caught-up standby.
 */
public final class Drill {

  /**
   * What to drill.
   *
   * @param rate orders per second over all client threads
   * @param duration load per run: the fault comes at a third of it; the load goes on at least until
   *     the first write on the new primary plus a second
   * @param force passed to automatic failovers' runs is not possible (the monitor decides); it is
   *     passed to operator runs
   */
  public record Settings(
      List<Scenario> scenarios,
      int runs,
      PostgresStreamingReplication.Mode mode,
      double rate,
      Duration duration,
      Path reportDir,
      Path runDir,
      Path serviceJar,
      boolean force) {

    public Settings {
      scenarios = List.copyOf(scenarios);
      if (scenarios.isEmpty()) {
        throw new IllegalArgumentException("at least one scenario is needed");
      }
      if (runs < 1 || runs > 100) {
        throw new IllegalArgumentException("--runs must be 1-100, was " + runs);
      }
      if (!(rate >= 1 && rate <= 500)) {
        throw new IllegalArgumentException("--rate must be 1-500 orders/s, was " + rate);
      }
      if (duration.toMillis() < 3_000 || duration.toMinutes() > 30) {
        throw new IllegalArgumentException("--duration must be 3 s to 30 min, was " + duration);
      }
    }
  }

  /** How long a run waits for the orchestrator to finish a failover before calling it failed. */
  private static final Duration RUN_DEADLINE = Duration.ofSeconds(60);

  private final Settings settings;
  private final PrintWriter out;
  private final Clock clock = Clock.systemUTC();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
  private LocalRegions regions;
  private LocalOrchestration orchestration;

  /** The standby's primary_conninfo while {@link #cutReplication} has its WAL receiver cut. */
  private String replicationCut;

  private OrchestratorPorts ports;
  private RoundProbes roundProbes;

  /** The crash scenario's orchestrator JVM, started before the fault, killed during its run. */
  private Process doomed;

  private OrchestratorConfig config;
  private RegionId home;
  private RegionId away;

  public Drill(Settings settings, PrintWriter out) {
    this.settings = settings;
    this.out = out;
  }

  /** Starts the regions, runs every scenario {@code runs} times, stops the regions. */
  public List<DrillRunResult> run() {
    List<DrillRunResult> results = new ArrayList<>();
    // Attaches to regions a supervisor already runs from the run directory (not stopped at the
    // end).
    regions =
        LocalRegions.upOrAttach(
            LocalRegionsSettings.of(settings.runDir(), settings.mode(), settings.serviceJar()),
            out);
    try {
      orchestration = LocalOrchestration.open(regions, clock, out);
      // Back-to-back runs: the anti-flapping interval would refuse every failover after the first.
      config = OrchestratorConfig.localBuilder().minFailoverInterval(Duration.ofSeconds(1)).build();
      // Each round's probes run at the same time, as independent checkers do (RoundProbes).
      ports = orchestration.ports();
      roundProbes = orchestration.roundProbes();
      home = ports.topology().home();
      away = ports.topology().away();
      for (Scenario scenario : settings.scenarios()) {
        for (int i = 1; i <= settings.runs(); i++) {
          DrillRunResult result = runOnce(scenario, i);
          results.add(result);
          progress(
              scenario,
              i,
              (result.passed() ? "PASS" : "FAIL")
                  + (result.failures().isEmpty()
                      ? ""
                      : ": " + String.join("; ", result.failures())));
          if (!result.passed() && !restored()) {
            out.println(
                "the regions could not be brought back to " + home + "; stopping the drill");
            return results;
          }
        }
      }
      return results;
    } finally {
      if (orchestration != null) {
        orchestration.close();
      }
      regions.close();
    }
  }

  private Orchestrator orchestrator(String owner) {
    return new Orchestrator(config, ports, clock, Sleeper.threadSleep(), owner);
  }

  private DrillRunResult runOnce(Scenario scenario, int runNumber) {
    List<String> failures = new ArrayList<>();
    List<String> decisions = new ArrayList<>();
    String mode = settings.mode().name().toLowerCase(Locale.ROOT);
    try {
      awaitReady(home);
      if (scenario == Scenario.FAILBACK) {
        progress(scenario, runNumber, "preparing: switchover to " + away + " (not measured)");
        RunResult prep = operatorRun(RunKind.SWITCHOVER, decisions);
        if (prep.outcome() != RunOutcome.COMPLETED) {
          failures.add("preparing switchover: " + prep.reason());
          return failed(scenario, runNumber, mode, failures, decisions);
        }
        awaitReady(home);
      }
      RegionId oldWriter = ports.control().read().holder().orElse(home);
      RegionId newWriter = oldWriter.equals(home) ? away : home;
      return measure(scenario, runNumber, mode, oldWriter, newWriter, failures, decisions);
    } catch (RuntimeException | IOException e) {
      failures.add("drill error: " + e.getMessage());
      return failed(scenario, runNumber, mode, failures, decisions);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      failures.add("interrupted");
      return failed(scenario, runNumber, mode, failures, decisions);
    }
  }

  private DrillRunResult measure(
      Scenario scenario,
      int runNumber,
      String mode,
      RegionId oldWriter,
      RegionId newWriter,
      List<String> failures,
      List<String> decisions)
      throws IOException, InterruptedException {
    TtlCachingResolver resolver =
        new TtlCachingResolver(regions.dnsAddress(), clock, Duration.ofSeconds(1));
    String host = regions.settings().serviceHost();
    int port = regions.servicePort();
    String account = "drill-" + scenario.cliName() + "-" + runNumber + "-" + System.nanoTime();
    String session = OrderLoad.createSession(http, resolver, host, port, account);
    // The session lives in the writer's region; give replication a moment to copy it over.
    Thread.sleep(Duration.ofMillis(500));
    LagSampler lag =
        new LagSampler(
            regions.replication(), regions.sessionReplicator().lagMark(), Duration.ofMillis(150));
    HealthLoop monitor = null;
    NetworkPartition partition = null;
    OrderLoad load = new OrderLoad(resolver, host, port, session, account, settings.rate());
    long loadStart = System.nanoTime();
    load.start();
    lag.start();
    progress(
        scenario,
        runNumber,
        String.format(
            Locale.ROOT,
            "load %.0f orders/s on %d threads through %s (TTL %d s), %s replication",
            settings.rate(),
            load.threads(),
            host,
            regions.settings().dnsTtl().toSeconds(),
            mode));
    RunResult run;
    boolean failoverExpected = true;
    Duration flapDuration = Duration.ZERO;
    long faultNanos;
    Instant faultAt;
    try {
      Thread.sleep(settings.duration().dividedBy(3));
      if (scenario == Scenario.STALLED_REPLICATION_THEN_LOSS) {
        stallReplay(scenario, runNumber, newWriter);
      } else if (scenario == Scenario.REPLICATION_CUT_THEN_LOSS) {
        cutReplication(scenario, runNumber, newWriter);
      }
      if (scenario.automatic()) {
        monitor =
            new HealthLoop(
                orchestrator("drill-monitor"), roundProbes, config.healthCheckInterval());
        monitor.start();
        // The detector needs its first round of healthy probes before the fault.
        Thread.sleep(config.healthCheckInterval().multipliedBy(2));
      }
      if (scenario == Scenario.ORCHESTRATOR_CRASH_MID_RUN) {
        doomed = startDoomedOrchestrator();
      }
      faultNanos = System.nanoTime();
      faultAt = clock.instant();
      progress(scenario, runNumber, "fault: " + scenario.description());
      switch (scenario) {
        case SWITCHOVER -> {}
        case FAILBACK -> {}
        case KILL_PRIMARY_DB,
            STALLED_REPLICATION_THEN_LOSS,
            REPLICATION_CUT_THEN_LOSS,
            ORCHESTRATOR_CRASH_MID_RUN ->
            regions.replication().node(oldWriter).kill9();
        case FLAPPING_HEALTH -> flapDuration = flap(oldWriter);
        case KILL_PRIMARY_SERVICE -> regions.killService(oldWriter);
        case PARTITION_PRIMARY -> {
          if (!NetworkPartition.isSupported()) {
            throw new IllegalStateException(
                "partition-primary needs nftables and root (or CAP_NET_ADMIN)");
          }
          partition = regions.partition(oldWriter);
          partition.cut();
        }
      }
      if (scenario == Scenario.FLAPPING_HEALTH) {
        // Time for the detector to judge the last thaw before counting the failovers.
        Thread.sleep(config.healthCheckInterval().multipliedBy(config.failureThreshold() + 1));
        monitor.stop();
        List<RunResult> completed = monitor.completed();
        completed.forEach(r -> record(r, decisions));
        progress(scenario, runNumber, completed.size() + " failover(s) while flapping");
        if (completed.size() > 1) {
          failures.add(
              "flapping: "
                  + completed.size()
                  + " failovers, at most one is allowed (no ping-pong): "
                  + completed.stream().map(RunResult::reason).collect(Collectors.joining("; ")));
        }
        run = completed.isEmpty() ? null : completed.getFirst();
        failoverExpected = false;
      } else if ((scenario == Scenario.STALLED_REPLICATION_THEN_LOSS
              || scenario == Scenario.REPLICATION_CUT_THEN_LOSS)
          && settings.mode() == PostgresStreamingReplication.Mode.ASYNC) {
        RunResult attempt = monitor.awaitAttempt(RUN_DEADLINE);
        monitor.stop();
        progress(
            scenario,
            runNumber,
            "monitor rounds after the fault: " + monitor.roundsSince(faultNanos));
        run = lagGuardOutcome(scenario, runNumber, attempt, failures, decisions);
        failoverExpected = settings.force();
      } else if (scenario.automatic()) {
        run = monitor.awaitFailover(RUN_DEADLINE);
        monitor.stop();
        progress(
            scenario,
            runNumber,
            "monitor rounds after the fault: " + monitor.roundsSince(faultNanos));
      } else if (scenario == Scenario.ORCHESTRATOR_CRASH_MID_RUN) {
        run = crashAndResume(scenario, runNumber, failures, decisions);
      } else {
        run =
            operatorRun(
                scenario == Scenario.FAILBACK ? RunKind.FAILBACK : RunKind.SWITCHOVER, decisions);
      }
      if (run == null && !failoverExpected) {
        progress(scenario, runNumber, "no failover, as allowed");
      } else if (run == null) {
        failures.add(
            "no failover within "
                + RUN_DEADLINE.toSeconds()
                + " s of the fault; last monitor round: "
                + (monitor == null ? "no monitor" : monitor.lastRound()));
      } else {
        if (scenario.automatic() && scenario != Scenario.FLAPPING_HEALTH) {
          record(run, decisions);
        }
        progress(scenario, runNumber, run.kind() + " " + run.outcome() + ": " + run.reason());
        if (run.outcome() != RunOutcome.COMPLETED) {
          failures.add(run.kind() + " " + run.outcome() + ": " + run.reason());
        }
      }
      // Keep the load on until the clients have written to the new primary for a second.
      long end = loadStart + settings.duration().toNanos();
      long cap = faultNanos + RUN_DEADLINE.toNanos();
      while (System.nanoTime() < cap) {
        Optional<Attempt> first = firstNewEpochAck(load.attempts(), faultNanos, newWriter);
        long now = System.nanoTime();
        if (first.isPresent()
            && now >= end
            && now >= first.get().answeredNanos() + 1_000_000_000L) {
          break;
        }
        if (run == null || run.outcome() != RunOutcome.COMPLETED) {
          if (now >= end) {
            break;
          }
        }
        Thread.sleep(100);
      }
    } finally {
      load.close();
      lag.stop();
      if (monitor != null) {
        monitor.stop();
      }
      if (doomed != null) {
        // SIGKILL by PID if the run ended before the scenario killed it.
        doomed.destroyForcibly();
        doomed = null;
      }
    }
    List<Attempt> attempts = load.attempts();
    List<Attempt> acks =
        attempts.stream()
            .filter(Attempt::acknowledged)
            .sorted(Comparator.comparingLong(Attempt::answeredNanos))
            .toList();
    Map<String, Double> markers = new LinkedHashMap<>();
    markers.put("fault", ms(faultNanos - loadStart));
    Double detect = null;
    Double fence = null;
    Double promote = null;
    Double route = null;
    long newEpoch = -1;
    Instant grantedAt = null;
    if (run != null) {
      List<JournalEntry> journal = ports.control().entries(run.runId());
      detect = scenario.automatic() ? sinceFault(first(journal, "run", null), faultAt) : 0.0;
      Double revoked = sinceFault(last(journal, "revoke-lease"), faultAt);
      Double fencedDb = sinceFault(last(journal, "fence-writer"), faultAt);
      fence = revoked == null ? fencedDb : fencedDb == null ? revoked : Math.max(revoked, fencedDb);
      promote = sinceFault(last(journal, "promote"), faultAt);
      route = sinceFault(last(journal, "route"), faultAt);
      JournalEntry grant = last(journal, "grant-lease");
      if (grant != null) {
        grantedAt = grant.at();
        String epoch = grant.attributes().get("lease.grantedEpoch");
        if (epoch != null) {
          newEpoch = Long.parseLong(epoch);
        }
      }
      double faultMs = ms(faultNanos - loadStart);
      putMarker(markers, "detection", detect, faultMs);
      putMarker(markers, "fence", fence, faultMs);
      putMarker(markers, "promotion", promote, faultMs);
      putMarker(markers, "routing", route, faultMs);
    }
    final long epochOfNewWriter = newEpoch;
    Optional<Attempt> firstNew =
        acks.stream()
            .filter(a -> a.sentNanos() >= faultNanos || a.answeredNanos() >= faultNanos)
            .filter(a -> a.region().equals(newWriter.value()))
            .filter(a -> epochOfNewWriter < 0 || a.epoch() >= epochOfNewWriter)
            .findFirst();
    Double rto = firstNew.map(a -> ms(a.answeredNanos() - faultNanos)).orElse(null);
    firstNew.ifPresent(a -> markers.put("first write", ms(a.answeredNanos() - loadStart)));
    if (scenario == Scenario.FLAPPING_HEALTH && run == null) {
      // No failover: the primary must still acknowledge writes once the flapping is over.
      long flapEnd = faultNanos + flapDuration.toNanos();
      if (acks.stream().noneMatch(a -> a.sentNanos() > flapEnd)) {
        failures.add(
            "no order was acknowledged after the flapping ended and there was no failover: "
                + oldWriter
                + " stopped writing (lost its write lease?)");
      }
    }
    if (firstNew.isEmpty() && (failoverExpected || run != null)) {
      failures.add("no order was acknowledged by " + newWriter + " after the fault");
    }
    Double unavailable = unavailability(acks, attempts, faultNanos);

    // Split brain: the old region acknowledging under an older epoch once the new one was granted.
    int splitBrain = 0;
    if (grantedAt != null) {
      long grantNanos = faultNanos + Duration.between(faultAt, grantedAt).toNanos();
      final long epochNew = newEpoch;
      splitBrain =
          (int)
              acks.stream()
                  .filter(a -> a.region().equals(oldWriter.value()))
                  .filter(a -> epochNew < 0 || a.epoch() < epochNew)
                  .filter(a -> a.answeredNanos() > grantNanos)
                  .count();
    }
    if (splitBrain > 0) {
      failures.add(
          "split brain: "
              + splitBrain
              + " orders acknowledged by "
              + oldWriter
              + " under an older epoch after epoch "
              + newEpoch
              + " was granted");
    }

    // RPO: every acknowledged order must be on the new primary (the old one's ledger for async).
    List<Attempt> missing = List.of();
    if (run != null && run.outcome() == RunOutcome.COMPLETED) {
      Set<String> present = ordersOn(newWriter, account);
      missing = acks.stream().filter(a -> !present.contains(a.clientOrderId())).toList();
    } else if (run == null && !failoverExpected) {
      // No failover (allowed here): the old primary, brought back, must still hold every order.
      if (scenario == Scenario.REPLICATION_CUT_THEN_LOSS) {
        mustStayUnwritable(scenario, runNumber, attempts, faultNanos, oldWriter, failures);
      }
      restore(scenario, oldWriter, partition, false);
      awaitReady(oldWriter);
      Set<String> present = ordersOn(oldWriter, account);
      missing = acks.stream().filter(a -> !present.contains(a.clientOrderId())).toList();
    }
    int lost = missing.size();
    int inLedger = 0;
    Integer reconciled = null;

    // Bring the old primary back and fail back (the failback scenario measured that already).
    RunResult back = null;
    if (run != null && run.outcome() == RunOutcome.COMPLETED) {
      restore(scenario, oldWriter, partition, true);
      if (lost > 0 && lossAllowed(scenario)) {
        // Before the failback rewinds the old primary: its orders are read for the ledger here.
        Set<String> listed = takeRpoLedger(scenario, runNumber, run, missing);
        inLedger = (int) missing.stream().filter(a -> listed(listed, a)).count();
        reconciled =
            replayLedger(scenario, runNumber, run.runId(), newWriter, account, missing, failures);
      }
      if (scenario == Scenario.FAILBACK) {
        back = run;
      } else {
        awaitReady(oldWriter);
        progress(scenario, runNumber, "failback to " + oldWriter);
        back = operatorRun(RunKind.FAILBACK, decisions);
      }
      if (lost > 0 && reconciled == null) {
        // The failback took the ledger from the old primary before rewinding it.
        inLedger = inRpoLedger(run.runId(), missing);
      }
    } else if (partition != null) {
      partition.close();
    }
    if (!failoverExpected && run == null) {
      mustLoseNone(lost, oldWriter, failures);
    } else {
      checkRpo(scenario, lost, inLedger, failures);
    }
    if (back != null) {
      // The failback scenario's own run returned the writing to newWriter; others return to old.
      if (scenario == Scenario.FAILBACK) {
        checkFailback(back, newWriter, oldWriter, failures);
      } else {
        checkFailback(back, oldWriter, newWriter, failures);
      }
    }
    DrillRunResult.Lag lagFigures = lag.figures(regions.sessionReplicator());
    progress(
        scenario,
        runNumber,
        String.format(
            Locale.ROOT,
            "replication lag over the load (%d samples): replay p99 %s; streaming %d samples:"
                + " write p99 %s, flush p99 %s, replay p99 %s; sessions p99 %s (%d changes)",
            lagFigures.replayMs().size(),
            millis(lagFigures.replayP99Ms()),
            lagFigures.streamSamples(),
            millis(lagFigures.writeP99Ms()),
            millis(lagFigures.flushP99Ms()),
            millis(lagFigures.streamReplayP99Ms()),
            millis(lagFigures.sessionP99Ms()),
            lagFigures.sessionChanges()));
    boolean passed = failures.isEmpty();
    return new DrillRunResult(
        scenario.cliName(),
        runNumber,
        settings.mode().name().toLowerCase(Locale.ROOT),
        passed,
        failures,
        decisions,
        rto,
        unavailable,
        detect,
        fence,
        promote,
        route,
        attempts.size(),
        acks.size(),
        lost,
        inLedger,
        splitBrain,
        reconciled,
        lagFigures,
        new Timeline(buckets(attempts, loadStart), markers));
  }

  private static void mustLoseNone(int lost, RegionId writer, List<String> failures) {
    if (lost > 0) {
      failures.add(
          "RPO: " + lost + " acknowledged orders missing on " + writer + ", which stayed primary");
    }
  }

  private void checkRpo(Scenario scenario, int lost, int inLedger, List<String> failures) {
    if (lost == 0) {
      return;
    }
    boolean planned = scenario == Scenario.SWITCHOVER || scenario == Scenario.FAILBACK;
    if (!lossAllowed(scenario)) {
      failures.add(
          "RPO: "
              + lost
              + " acknowledged orders missing on the new primary ("
              + (planned ? "planned" : "sync mode")
              + " must lose none)");
    } else if (inLedger < lost) {
      failures.add(
          "RPO ledger: "
              + (lost - inLedger)
              + " of "
              + lost
              + " lost acknowledged orders are not listed in the RPO ledger");
    }
  }

  private void checkFailback(
      RunResult back, RegionId writer, RegionId standby, List<String> failures) {
    if (back.outcome() != RunOutcome.COMPLETED) {
      failures.add("failback " + back.outcome() + ": " + back.reason());
      return;
    }
    ReplicationStatus status = regions.replication().status();
    if (!status.writer().equals(Optional.of(writer))) {
      failures.add("after failback the writer is " + status.writer() + ", not " + writer);
      return;
    }
    try {
      regions.replication().awaitCaughtUp(standby, Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      failures.add("after failback " + standby + " is not a caught-up standby: " + e.getMessage());
    }
  }

  /**
   * Brings back what the fault broke, so that the failback has a region to return to; {@code
   * failedOver}: whether the standby was promoted meanwhile.
   */
  private void restore(
      Scenario scenario, RegionId oldWriter, NetworkPartition partition, boolean failedOver) {
    switch (scenario) {
      case KILL_PRIMARY_DB, ORCHESTRATOR_CRASH_MID_RUN ->
          // Started as it was: the failback's RPO ledger reads what it committed, then rewinds it.
          regions.replication().node(oldWriter).start();
      case STALLED_REPLICATION_THEN_LOSS -> {
        resumeReplay(oldWriter.equals(home) ? away : home);
        regions.replication().node(oldWriter).start();
      }
      case REPLICATION_CUT_THEN_LOSS -> {
        if (failedOver) {
          // Readable, never writable, and not rejoined: the RPO ledger reads it before the rewind.
          regions.replication().startReadOnly(oldWriter, Duration.ofSeconds(30));
        } else {
          regions.replication().node(oldWriter).start();
        }
        // Once the writer runs again: the standby's receiver has something to connect to.
        reconnectReplication(oldWriter.equals(home) ? away : home);
      }
      case FLAPPING_HEALTH -> {}
      case KILL_PRIMARY_SERVICE -> regions.restartService(oldWriter);
      case PARTITION_PRIMARY -> {
        if (partition != null) {
          partition.close();
        }
      }
      case SWITCHOVER, FAILBACK -> {}
    }
  }

  /**
   * Pauses WAL replay on the standby for longer than the lag guard allows, with the load going on,
   * so that the standby falls behind by more than maxLagOnFailover before the primary is lost.
   */
  private void stallReplay(Scenario scenario, int runNumber, RegionId standby)
      throws InterruptedException {
    Duration stall = config.maxLagOnFailover().plusSeconds(2);
    progress(
        scenario,
        runNumber,
        "stall: WAL replay paused on " + standby + " for " + stall.toSeconds() + " s under load");
    sql(standby, "SELECT pg_wal_replay_pause()");
    Thread.sleep(stall);
  }

  /**
   * Cuts the standby's WAL receiver for longer than the lag guard allows, with the load going on:
   * in async mode the primary keeps acknowledging orders that never reach the standby; in sync mode
   * its commits wait for the standby, so the load stalls instead.
   */
  private void cutReplication(Scenario scenario, int runNumber, RegionId standby)
      throws InterruptedException {
    Duration cut = config.maxLagOnFailover().plusSeconds(2);
    replicationCut = regions.replication().cutWalReceiver(standby, Duration.ofSeconds(10));
    progress(
        scenario,
        runNumber,
        "cut: "
            + standby
            + "'s WAL receiver stopped (primary_conninfo = '') for "
            + cut.toSeconds()
            + " s under load");
    Thread.sleep(cut);
  }

  /** Gives the standby its primary_conninfo back after {@link #cutReplication}. */
  private void reconnectReplication(RegionId standby) {
    if (replicationCut != null) {
      regions.replication().reconnectWalReceiver(standby, replicationCut, Duration.ofSeconds(30));
      replicationCut = null;
    }
  }

  /**
   * With the lag guard's refusal standing, no order sent after the fault may be acknowledged by
   * anything but the old writer for the rest of the load (which ends before the drill, as the
   * operator, restores the old primary): writes are unavailable, not diverted to the stale standby.
   * The old writer itself may acknowledge the orders its backends commit in the moments before they
   * notice that their postmaster was killed (PostgreSQL backends outlive a SIGKILLed postmaster
   * until their next wait); those are on its disk, and the check after the restore requires every
   * acknowledged order there.
   */
  private void mustStayUnwritable(
      Scenario scenario,
      int runNumber,
      List<Attempt> attempts,
      long faultNanos,
      RegionId oldWriter,
      List<String> failures) {
    List<Attempt> after = attempts.stream().filter(a -> a.sentNanos() > faultNanos).toList();
    List<Attempt> acked = after.stream().filter(Attempt::acknowledged).toList();
    List<Attempt> elsewhere =
        acked.stream().filter(a -> !oldWriter.value().equals(a.region())).toList();
    long lastSent = after.stream().mapToLong(Attempt::sentNanos).max().orElse(faultNanos);
    progress(
        scenario,
        runNumber,
        String.format(
            Locale.ROOT,
            "no promotion: %d of %d orders sent in the %.1f s from the fault to the end of the"
                + " load were acknowledged (%d by %s before its backends saw the kill, %d"
                + " elsewhere); the drill, as the operator, now restores the old primary",
            acked.size(),
            after.size(),
            (lastSent - faultNanos) / 1e9,
            acked.size() - elsewhere.size(),
            oldWriter,
            elsewhere.size()));
    if (!elsewhere.isEmpty()) {
      failures.add(
          elsewhere.size()
              + " orders were acknowledged after the fault by a region other than "
              + oldWriter
              + " although nothing was promoted: "
              + elsewhere.stream()
                  .map(a -> a.clientOrderId() + "@" + a.region() + "/" + a.epoch())
                  .collect(Collectors.joining(", ")));
    }
  }

  /** Whether acknowledged orders may be lost (then they must be in the RPO ledger). */
  private boolean lossAllowed(Scenario scenario) {
    boolean planned = scenario == Scenario.SWITCHOVER || scenario == Scenario.FAILBACK;
    return !planned && settings.mode() == PostgresStreamingReplication.Mode.ASYNC;
  }

  /**
   * Takes and saves the failover's RPO ledger from the old primary (read-only by now), as {@code
   * drctl reconcile} does; returns the order ids and client order ids it lists.
   */
  private Set<String> takeRpoLedger(
      Scenario scenario, int runNumber, RunResult failover, List<Attempt> lost) {
    FailoverRecord record =
        orchestrator("drill-operator")
            .failoverRecord(failover.runId())
            .orElseThrow(
                () ->
                    new IllegalStateException(
                        "no failover record for " + failover.runId() + " in the journal"));
    RpoLedger ledger = new RpoLedgerBuilder(ports.orderLedger(), config, clock).build(record);
    ports.rpoLedgers().save(ledger);
    Set<String> listed = new HashSet<>();
    for (CommittedOrder order : ledger.missing()) {
      listed.add(order.orderId());
      listed.add(order.clientOrderId());
    }
    long found = lost.stream().filter(a -> listed(listed, a)).count();
    progress(
        scenario,
        runNumber,
        "RPO ledger of "
            + failover.runId()
            + ": "
            + ledger.missing().size()
            + " orders "
            + ledger.oldWriter()
            + " committed and "
            + ledger.newWriter()
            + " lacks (since "
            + ledger.since()
            + "); "
            + found
            + " of the "
            + lost.size()
            + " lost acknowledged orders are listed");
    return listed;
  }

  private static boolean listed(Set<String> listed, Attempt a) {
    return listed.contains(a.clientOrderId())
        || (a.orderId() != null && listed.contains(a.orderId()));
  }

  /**
   * Replays the saved ledger through the writer's service (as {@code drctl reconcile --replay}),
   * twice: the second pass must create nothing. Returns how many of the lost orders the writer has
   * afterwards; each one still missing is a failure.
   */
  private int replayLedger(
      Scenario scenario,
      int runNumber,
      String failoverRunId,
      RegionId writer,
      String account,
      List<Attempt> lost,
      List<String> failures) {
    RpoLedger ledger =
        ports
            .rpoLedgers()
            .find(failoverRunId)
            .orElseThrow(() -> new IllegalStateException("the ledger was not saved"));
    Reconciler reconciler =
        new Reconciler(
            new ServiceOrderReconciliation(regions::serviceEndpoint, Duration.ofSeconds(5)));
    Reconciler.ReconcileReport first = reconciler.reconcile(ledger, ReconcileAction.REPLAY, writer);
    Reconciler.ReconcileReport again = reconciler.reconcile(ledger, ReconcileAction.REPLAY, writer);
    progress(
        scenario,
        runNumber,
        "reconcile --replay on " + writer + ": " + first.counts() + "; again: " + again.counts());
    first.results().stream()
        .filter(r -> r.outcome() == Reconciler.Outcome.FAILED)
        .limit(3)
        .forEach(r -> failures.add("reconcile of " + r.orderId() + " failed: " + r.detail()));
    if (again.count(Reconciler.Outcome.REPLAYED) > 0) {
      failures.add(
          "reconcile is not idempotent: a second replay created "
              + again.count(Reconciler.Outcome.REPLAYED)
              + " orders");
    }
    Set<String> present = ordersOn(writer, account);
    int back = (int) lost.stream().filter(a -> present.contains(a.clientOrderId())).count();
    if (back < lost.size()) {
      failures.add(
          "reconcile: "
              + (lost.size() - back)
              + " of "
              + lost.size()
              + " lost acknowledged orders are still missing on "
              + writer
              + " after the replay");
    }
    return back;
  }

  /** Resumes WAL replay on a standby that the stall left paused (no-op once it is promoted). */
  private void resumeReplay(RegionId standby) {
    sql(standby, "SELECT CASE WHEN pg_is_in_recovery() THEN pg_wal_replay_resume() END");
  }

  private void sql(RegionId region, String statement) {
    String url = regions.replication().node(region).jdbcUrl(LocalRegions.DATABASE);
    Properties props = new Properties();
    props.setProperty("user", regions.replication().node(region).superuser());
    try (Connection c = DriverManager.getConnection(url, props);
        PreparedStatement st = c.prepareStatement(statement)) {
      st.execute();
    } catch (SQLException e) {
      throw new IllegalStateException(
          "'" + statement + "' on " + region + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The automatic attempt after the stall must be refused by the lag guard; with --force the
   * operator's failover goes ahead (and is returned), else there is no failover (null).
   */
  private RunResult lagGuardOutcome(
      Scenario scenario,
      int runNumber,
      RunResult attempt,
      List<String> failures,
      List<String> decisions) {
    if (attempt == null) {
      failures.add("no automatic failover was attempted within " + RUN_DEADLINE.toSeconds() + " s");
      return null;
    }
    record(attempt, decisions);
    progress(scenario, runNumber, "automatic " + attempt.outcome() + ": " + attempt.reason());
    if (attempt.outcome() != RunOutcome.REFUSED
        || !attempt.reason().startsWith("maxLagOnFailover")) {
      failures.add(
          "the lag guard did not refuse the automatic failover: "
              + attempt.outcome()
              + ": "
              + attempt.reason());
      return attempt.outcome() == RunOutcome.COMPLETED ? attempt : null;
    }
    if (!settings.force()) {
      return null;
    }
    progress(scenario, runNumber, "--force: the operator's failover overrides the lag guard");
    return operatorRun(RunKind.FAILOVER, decisions);
  }

  /**
   * Freezes (SIGSTOP) and thaws (SIGCONT) the region's service in turn. Each freeze lasts one check
   * interval less than failureThreshold intervals, so that no observer should count enough
   * consecutive failures, and at most half the write lease's TTL: a longer freeze makes the service
   * miss its renewals and lose the lease for good, which is an outage, not a flap. A thaw lasts as
   * long as a freeze.
   */
  private Duration flap(RegionId region) throws IOException, InterruptedException {
    ProcessHandle service =
        regions
            .serviceProcess(region)
            .orElseThrow(() -> new IOException("no trading service process runs in " + region));
    Duration belowThreshold =
        config.healthCheckInterval().multipliedBy(Math.max(1, config.failureThreshold() - 1));
    Duration halfLease = config.writeLeaseTtl().dividedBy(2);
    Duration freeze = belowThreshold.compareTo(halfLease) < 0 ? belowThreshold : halfLease;
    long start = System.nanoTime();
    try {
      for (int i = 0; i < 5; i++) {
        signal(service, "STOP");
        Thread.sleep(freeze);
        signal(service, "CONT");
        Thread.sleep(freeze);
      }
    } finally {
      signal(service, "CONT");
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }

  private static void signal(ProcessHandle process, String signal)
      throws IOException, InterruptedException {
    Process kill =
        new ProcessBuilder("kill", "-" + signal, Long.toString(process.pid()))
            .redirectErrorStream(true)
            .start();
    if (kill.waitFor() != 0) {
      throw new IOException(
          "kill -"
              + signal
              + " "
              + process.pid()
              + ": "
              + new String(kill.getInputStream().readAllBytes()));
    }
  }

  private Path doomedLog() {
    return settings.runDir().resolve("logs").resolve("drill-doomed-orchestrator.log");
  }

  /**
   * Starts, before the fault, the orchestrator JVM the crash scenario kills: attached to these
   * regions, it reads the replication status while the writer still answers (as a long-running
   * orchestrator knows the standby's lag), then waits for "go" on its standard input.
   */
  private Process startDoomedOrchestrator() throws IOException, InterruptedException {
    List<String> command =
        new ArrayList<>(
            List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m",
                "-cp",
                System.getProperty("java.class.path"),
                io.tradingdr.local.cli.LocalRunMain.class.getName(),
                settings.runDir().toString(),
                "failover",
                "drill-doomed",
                "--wait-for-go"));
    if (settings.force()) {
      command.add("--force");
    }
    command.addAll(List.of("minFailoverInterval=1s", "runLeaseTtl=3s"));
    Path log = doomedLog();
    Files.createDirectories(log.getParent());
    long logStart = Files.exists(log) ? Files.size(log) : 0;
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start();
    long deadline = System.nanoTime() + RUN_DEADLINE.toNanos();
    while (System.nanoTime() < deadline && process.isAlive()) {
      String written = Files.readString(log, StandardCharsets.UTF_8);
      if (written.length() > logStart
          && written.substring((int) Math.min(logStart, written.length())).contains("\nready")) {
        return process;
      }
      Thread.sleep(50);
    }
    process.destroyForcibly();
    throw new IllegalStateException(
        "the orchestrator JVM did not get ready within "
            + RUN_DEADLINE.toSeconds()
            + " s (log "
            + log
            + ")");
  }

  /**
   * A failover run by an orchestrator in a JVM of its own ({@link
   * io.tradingdr.local.cli.LocalRunMain}, attached to these regions) that is killed with SIGKILL
   * while its promotion is in progress: the drill watches the journal in the control store for the
   * promote step's "started" entry and kills the JVM by PID right then, its run lease left to
   * expire. A new orchestrator then resumes the run from the journal; the journal must show one
   * completed promotion and one grant. The JVM was started before the fault ({@link
   * #startDoomedOrchestrator()}) and is told to go now.
   */
  private RunResult crashAndResume(
      Scenario scenario, int runNumber, List<String> failures, List<String> decisions)
      throws InterruptedException, IOException {
    OrchestratorConfig crashConfig =
        OrchestratorConfig.localBuilder()
            .minFailoverInterval(Duration.ofSeconds(1))
            .runLeaseTtl(Duration.ofSeconds(3))
            .build();
    Path log = doomedLog();
    // The fault has happened: the waiting orchestrator starts its failover now.
    try (var go = new PrintWriter(doomed.getOutputStream(), true, StandardCharsets.UTF_8)) {
      go.println("go");
    }
    Orchestrator watcher =
        new Orchestrator(crashConfig, ports, clock, Sleeper.threadSleep(), "drill-watch");
    long deadline = System.nanoTime() + RUN_DEADLINE.toNanos();
    String runId = null;
    boolean promoteStarted = false;
    boolean promoteCompletedAtKill = false;
    try {
      while (System.nanoTime() < deadline && doomed.isAlive() && !promoteStarted) {
        if (runId == null) {
          runId = watcher.history().unfinished(10).orElse(null);
        }
        if (runId != null) {
          List<JournalEntry> journal = ports.control().entries(runId);
          promoteStarted =
              journal.stream()
                  .anyMatch(
                      e -> e.step().equals("promote") && e.phase() == JournalEntry.Phase.STARTED);
          promoteCompletedAtKill = completed(journal, "promote") > 0;
        }
        if (!promoteStarted) {
          Thread.sleep(10);
        }
      }
    } finally {
      // SIGKILL by PID: no shutdown hook, no journal entry, the run lease left to expire.
      doomed.destroyForcibly();
      doomed.waitFor();
    }
    if (!promoteStarted) {
      failures.add(
          "the orchestrator JVM did not reach its promotion, so it could not be killed there (log "
              + log
              + ")");
      return null;
    }
    progress(
        scenario,
        runNumber,
        "orchestrator JVM PID "
            + doomed.pid()
            + " killed with SIGKILL during the promotion of "
            + runId
            + (promoteCompletedAtKill ? " (its completion was already journaled)" : "")
            + "; a new one resumes");
    Orchestrator heir =
        new Orchestrator(crashConfig, ports, clock, Sleeper.threadSleep(), "drill-heir");
    deadline = System.nanoTime() + RUN_DEADLINE.toNanos();
    RunResult resumed = null;
    while (System.nanoTime() < deadline) {
      Optional<RunResult> r = heir.resumeUnfinished();
      if (r.isEmpty()) {
        failures.add("no unfinished run in the journal to resume");
        return null;
      }
      // Refused while the killed orchestrator's run lease has not expired yet.
      if (r.get().outcome() != RunOutcome.REFUSED || !r.get().resumed()) {
        resumed = r.get();
        break;
      }
      Thread.sleep(250);
    }
    if (resumed == null) {
      failures.add("the unfinished run was not resumed within " + RUN_DEADLINE.toSeconds() + " s");
      return null;
    }
    record(resumed, decisions);
    List<JournalEntry> journal = ports.control().entries(resumed.runId());
    long promotions = completed(journal, "promote");
    long grants = completed(journal, "grant-lease");
    boolean resumedEntry = journal.stream().anyMatch(e -> e.attributes().containsKey("resumedBy"));
    progress(
        scenario,
        runNumber,
        "journal of "
            + resumed.runId()
            + ": resumed="
            + resumedEntry
            + ", promote completed "
            + promotions
            + "x, grant-lease completed "
            + grants
            + "x");
    if (!resumed.runId().equals(runId)) {
      failures.add("the heir resumed " + resumed.runId() + ", not the killed run " + runId);
    }
    if (!resumedEntry) {
      failures.add("the journal shows no resumption of " + resumed.runId());
    }
    if (promotions != 1 || grants != 1) {
      failures.add(
          "double action after the crash: promote completed "
              + promotions
              + "x, grant-lease completed "
              + grants
              + "x (one each expected)");
    }
    return resumed;
  }

  private static long completed(List<JournalEntry> journal, String step) {
    return journal.stream()
        .filter(e -> e.step().equals(step) && e.phase() == JournalEntry.Phase.COMPLETED)
        .count();
  }

  /** Whether the regions are back to the home region writing, for the next run. */
  private boolean restored() {
    try {
      return ports.control().read().isHeldBy(home)
          && regions.replication().status().writer().equals(Optional.of(home));
    } catch (RuntimeException e) {
      return false;
    }
  }

  private RunResult operatorRun(RunKind kind, List<String> decisions) {
    RunResult result =
        orchestrator("drill-operator")
            .run(RunRequest.operator(kind, settings.force(), "drctl-drill"));
    record(result, decisions);
    return result;
  }

  private static void record(RunResult result, List<String> decisions) {
    decisions.add(result.kind() + " " + result.runId() + " " + result.outcome());
    for (Decision d : result.decisions()) {
      decisions.add("  " + d.step() + " " + d.verdict() + ": " + d.reason());
    }
  }

  private int inRpoLedger(String failoverRunId, List<Attempt> acks) {
    Optional<RpoLedger> ledger = ports.rpoLedgers().find(failoverRunId);
    if (ledger.isEmpty()) {
      return 0;
    }
    Set<String> listed = new HashSet<>();
    for (CommittedOrder order : ledger.get().missing()) {
      listed.add(order.orderId());
      listed.add(order.clientOrderId());
    }
    return (int) acks.stream().filter(a -> listed(listed, a)).count();
  }

  private Set<String> ordersOn(RegionId region, String account) {
    String url = regions.replication().node(region).jdbcUrl(LocalRegions.DATABASE);
    Properties props = new Properties();
    props.setProperty("user", regions.replication().node(region).superuser());
    Set<String> ids = new HashSet<>();
    try (Connection c = DriverManager.getConnection(url, props);
        PreparedStatement st =
            c.prepareStatement("SELECT client_order_id FROM orders WHERE account_id = ?")) {
      st.setString(1, account);
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getString(1));
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot read the orders on " + region + ": " + e.getMessage(), e);
    }
    return ids;
  }

  private void awaitReady(RegionId region) throws IOException, InterruptedException {
    URI ready = regions.serviceEndpoint(region).resolve("/health/ready");
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    String last = "no answer";
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> r =
            http.send(
                HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(3)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() == 200) {
          return;
        }
        last = "HTTP " + r.statusCode() + " " + r.body();
      } catch (IOException e) {
        last = e.toString();
      }
      Thread.sleep(200);
    }
    throw new IOException(region + " not ready at " + ready + " within 60 s: " + last);
  }

  private static Optional<Attempt> firstNewEpochAck(
      List<Attempt> attempts, long faultNanos, RegionId newWriter) {
    return attempts.stream()
        .filter(Attempt::acknowledged)
        .filter(a -> a.sentNanos() >= faultNanos && a.region().equals(newWriter.value()))
        .min(Comparator.comparingLong(Attempt::answeredNanos));
  }

  /** The longest gap between consecutive acknowledgements that ends after the fault. */
  private static Double unavailability(
      List<Attempt> acks, List<Attempt> attempts, long faultNanos) {
    long longest = -1;
    long previous = Long.MIN_VALUE;
    for (Attempt a : acks) {
      if (previous != Long.MIN_VALUE && a.answeredNanos() > faultNanos) {
        longest = Math.max(longest, a.answeredNanos() - Math.max(previous, 0));
      }
      previous = a.answeredNanos();
    }
    // No acknowledgement at all from some point to the end of the load (nothing was promoted):
    // that tail is a gap too, at least as long as the load lasted.
    long lastAnswer = attempts.stream().mapToLong(Attempt::answeredNanos).max().orElse(previous);
    if (previous != Long.MIN_VALUE && lastAnswer > faultNanos && lastAnswer > previous) {
      longest = Math.max(longest, lastAnswer - previous);
    }
    return longest < 0 ? null : ms(longest);
  }

  private static List<Bucket> buckets(List<Attempt> attempts, long loadStart) {
    long last = attempts.stream().mapToLong(Attempt::sentNanos).max().orElse(loadStart);
    int n = (int) ((last - loadStart) / 100_000_000L) + 1;
    int[] ok = new int[n];
    int[] failed = new int[n];
    double[] latency = new double[n];
    for (Attempt a : attempts) {
      int i = (int) Math.max(0, (a.sentNanos() - loadStart) / 100_000_000L);
      if (a.acknowledged()) {
        ok[i]++;
      } else {
        failed[i]++;
      }
      latency[i] += a.latency().toNanos() / 1e6;
    }
    List<Bucket> buckets = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int count = ok[i] + failed[i];
      buckets.add(
          new Bucket(i * 100L, ok[i], failed[i], count == 0 ? null : round(latency[i] / count)));
    }
    return buckets;
  }

  private static JournalEntry first(List<JournalEntry> journal, String step, JournalEntry none) {
    return journal.stream().filter(e -> e.step().equals(step)).findFirst().orElse(none);
  }

  /** The step's outcome entry (the last one that is not its start). */
  private static JournalEntry last(List<JournalEntry> journal, String step) {
    JournalEntry found = null;
    for (JournalEntry e : journal) {
      if (e.step().equals(step) && e.phase() != JournalEntry.Phase.STARTED) {
        found = e;
      }
    }
    return found;
  }

  private static Double sinceFault(JournalEntry entry, Instant faultAt) {
    return entry == null ? null : ms(Duration.between(faultAt, entry.at()).toNanos());
  }

  private static void putMarker(
      Map<String, Double> markers, String name, Double sinceFault, double faultMs) {
    if (sinceFault != null) {
      markers.put(name, round(faultMs + sinceFault));
    }
  }

  private static String millis(Double ms) {
    return ms == null ? "-" : String.format(Locale.ROOT, "%.1f ms", ms);
  }

  private static double ms(long nanos) {
    return round(nanos / 1e6);
  }

  private static double round(double value) {
    return Math.round(value * 10) / 10.0;
  }

  private DrillRunResult failed(
      Scenario scenario,
      int runNumber,
      String mode,
      List<String> failures,
      List<String> decisions) {
    return new DrillRunResult(
        scenario.cliName(),
        runNumber,
        mode,
        false,
        failures,
        decisions,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        0,
        0,
        0,
        0,
        null,
        DrillRunResult.Lag.NONE,
        new Timeline(List.of(), Map.of()));
  }

  private void progress(Scenario scenario, int runNumber, String message) {
    out.printf(
        Locale.ROOT,
        "%s [%s %d/%d] %s%n",
        Instant.now().toString().substring(11, 23),
        scenario.cliName(),
        runNumber,
        settings.runs(),
        message);
    out.flush();
  }

  /**
   * Samples the replication lag every interval for as long as the load runs (before, during and
   * after the fault), on two threads so that one slow read does not hold up the other: the
   * database's replay lag as the lag guard reads it, while a writer answers, and the writer's
   * pg_stat_replication write/flush/replay lag while the standby streams. Each read opens its own
   * connections, so on a loaded machine a sample can take longer than the interval; the counts say
   * how many were taken. See {@link DrillRunResult.Lag} for what each figure is.
   */
  private static final class LagSampler {
    private final PostgresStreamingReplication replication;
    private final long sessionMark;
    private final Duration interval;
    private final List<Duration> replay = new CopyOnWriteArrayList<>();
    private final List<Duration> write = new CopyOnWriteArrayList<>();
    private final List<Duration> flush = new CopyOnWriteArrayList<>();
    private final List<Duration> streamReplay = new CopyOnWriteArrayList<>();
    private final AtomicInteger streaming = new AtomicInteger();
    private volatile boolean stopped;
    private final List<Thread> threads = new ArrayList<>();

    LagSampler(PostgresStreamingReplication replication, long sessionMark, Duration interval) {
      this.replication = replication;
      this.sessionMark = sessionMark;
      this.interval = interval;
    }

    void start() {
      threads.add(every("drill-lag-status", this::sampleStatus));
      threads.add(every("drill-lag-stream", this::sampleStream));
    }

    private Thread every(String name, Runnable sample) {
      return Thread.ofPlatform()
          .daemon()
          .name(name)
          .start(
              () -> {
                while (!stopped) {
                  long next = System.nanoTime() + interval.toNanos();
                  try {
                    sample.run();
                  } catch (RuntimeException e) {
                    // A node is unreachable for a moment (the fault): the next sample counts.
                  }
                  long wait = next - System.nanoTime();
                  try {
                    if (wait > 0) {
                      Thread.sleep(Duration.ofNanos(wait));
                    }
                  } catch (InterruptedException e) {
                    return;
                  }
                }
              });
    }

    private void sampleStatus() {
      ReplicationStatus status = replication.status();
      if (status.writer().isPresent()) {
        status.lag().ifPresent(replay::add);
      }
    }

    private void sampleStream() {
      replication
          .streamLag()
          .ifPresent(
              s -> {
                streaming.incrementAndGet();
                s.write().ifPresent(write::add);
                s.flush().ifPresent(flush::add);
                s.replay().ifPresent(streamReplay::add);
              });
    }

    void stop() {
      stopped = true;
      for (Thread thread : threads) {
        try {
          thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }

    DrillRunResult.Lag figures(DynamoDbSessionReplicator sessions) {
      LagRecorder.Summary session = sessions.lagSince(sessionMark);
      return new DrillRunResult.Lag(
          replay.stream().map(d -> round(d.toNanos() / 1e6)).toList(),
          p99Millis(replay),
          p99Millis(write),
          p99Millis(flush),
          p99Millis(streamReplay),
          streaming.get(),
          session.count() == 0 ? null : round(session.p99().toNanos() / 1e6),
          session.count());
    }

    private static Double p99Millis(List<Duration> samples) {
      if (samples.isEmpty()) {
        return null;
      }
      List<Duration> sorted = samples.stream().sorted().toList();
      int index = (int) Math.ceil(sorted.size() * 0.99) - 1;
      return round(sorted.get(Math.max(0, index)).toNanos() / 1e6);
    }
  }

  /** The health monitor every interval on its own thread, as the orchestrator runs it in AWS. */
  private static final class HealthLoop {
    private final HealthMonitor monitor;
    private final RoundProbes probes;
    private final Duration interval;
    private final List<Round> rounds = new CopyOnWriteArrayList<>();
    private final List<RunResult> failovers = new CopyOnWriteArrayList<>();
    private volatile String lastRound = "none yet";
    private volatile boolean stopped;
    private Thread thread;

    HealthLoop(Orchestrator orchestrator, RoundProbes probes, Duration interval) {
      this.monitor = new HealthMonitor(orchestrator, "drill-health-monitor");
      this.probes = probes;
      this.interval = interval;
    }

    void start() {
      thread =
          Thread.ofPlatform()
              .daemon()
              .name("drill-health-monitor")
              .start(
                  () -> {
                    while (!stopped) {
                      long started = System.nanoTime();
                      long next = started + interval.toNanos();
                      try {
                        probes.prefetch();
                        long probed = System.nanoTime();
                        HealthMonitor.Tick tick = monitor.tick();
                        rounds.add(
                            new Round(started, probed - started, System.nanoTime() - probed, tick));
                        lastRound =
                            tick.verdicts().stream()
                                .map(v -> v.region() + ": " + v.reason())
                                .collect(Collectors.joining("; "));
                        tick.failover().ifPresent(failovers::add);
                      } catch (RuntimeException e) {
                        lastRound = "error: " + e.getMessage();
                      } catch (InterruptedException e) {
                        return;
                      }
                      long wait = next - System.nanoTime();
                      if (wait > 0) {
                        try {
                          Thread.sleep(Duration.ofNanos(wait));
                        } catch (InterruptedException e) {
                          return;
                        }
                      }
                    }
                  });
    }

    /** The first failover run that completed, or the last one tried, or null by the deadline. */
    RunResult awaitFailover(Duration deadline) throws InterruptedException {
      long end = System.nanoTime() + deadline.toNanos();
      while (System.nanoTime() < end) {
        for (RunResult r : failovers) {
          if (r.outcome() == RunOutcome.COMPLETED) {
            return r;
          }
        }
        Thread.sleep(100);
      }
      return failovers.isEmpty() ? null : failovers.getLast();
    }

    /** The first attempt (any outcome), or null by the deadline. */
    RunResult awaitAttempt(Duration deadline) throws InterruptedException {
      long end = System.nanoTime() + deadline.toNanos();
      while (System.nanoTime() < end) {
        if (!failovers.isEmpty()) {
          return failovers.getFirst();
        }
        Thread.sleep(100);
      }
      return null;
    }

    List<RunResult> completed() {
      return failovers.stream().filter(r -> r.outcome() == RunOutcome.COMPLETED).toList();
    }

    String lastRound() {
      return lastRound;
    }

    /**
     * The rounds that started after {@code sinceNanos} up to the first that started a failover run:
     * when each began (from {@code sinceNanos}), how long its probes and the rest of the round
     * (replication status, control store, the run itself) took, and the writer's verdict.
     */
    String roundsSince(long sinceNanos) {
      StringBuilder b = new StringBuilder();
      for (Round r : rounds) {
        if (r.startedNanos() < sinceNanos) {
          continue;
        }
        String verdict =
            r.tick().verdicts().stream()
                .filter(v -> r.tick().writer().filter(v.region()::equals).isPresent())
                .map(v -> v.health().name().toLowerCase(Locale.ROOT))
                .findFirst()
                .orElse("?");
        b.append(
            String.format(
                Locale.ROOT,
                "%s+%.2fs probes %.2fs rest %.2fs %s",
                b.isEmpty() ? "" : "; ",
                (r.startedNanos() - sinceNanos) / 1e9,
                r.probeNanos() / 1e9,
                r.restNanos() / 1e9,
                r.tick().failover().isPresent() ? "-> failover run" : verdict));
        if (r.tick().failover().isPresent()) {
          break;
        }
      }
      return b.toString();
    }

    private record Round(
        long startedNanos, long probeNanos, long restNanos, HealthMonitor.Tick tick) {}

    void stop() {
      stopped = true;
      if (thread != null && Thread.currentThread() != thread) {
        try {
          thread.join(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }
}
