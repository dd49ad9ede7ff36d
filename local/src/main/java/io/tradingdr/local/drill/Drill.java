package io.tradingdr.local.drill;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.run.HealthMonitor;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.run.RunKind;
import io.tradingdr.core.run.RunOutcome;
import io.tradingdr.core.run.RunRequest;
import io.tradingdr.core.run.RunResult;
import io.tradingdr.core.run.Sleeper;
import io.tradingdr.local.db.PostgresOrderLedgerSource;
import io.tradingdr.local.dns.TtlCachingResolver;
import io.tradingdr.local.orchestration.LocalOrchestration;
import io.tradingdr.local.regions.LocalRegions;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A failover drill on running local regions: order load through the DNS name, a fault, the
 * orchestrator acting on the local adapters, then measurements from the client's own ledger (RTO,
 * unavailability window, lost acknowledged orders, split-brain acknowledgements) and a failback
 * that must leave the old primary a caught-up standby.
 *
 * <p>The services use the static write fence: once the orchestrator has granted the write lease,
 * the drill applies it by restarting the services with their new roles ({@link
 * LocalRegions#assignWriter}); that restart is part of the measured recovery time.
 */
public final class Drill {

  /** The scenarios this drill runs. */
  public enum Scenario {
    /** Planned switchover from region A to region B. */
    SWITCHOVER,
    /** kill -9 of region A's PostgreSQL; the health monitor detects it and fails over. */
    KILL_PRIMARY_DB;

    public String label() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /**
     * Parses a label such as {@code kill-primary-db}, naming the allowed ones when it is unknown.
     */
    public static Scenario fromLabel(String label) {
      for (Scenario s : values()) {
        if (s.label().equals(label)) {
          return s;
        }
      }
      throw new IllegalArgumentException(
          "unknown scenario '" + label + "'; allowed: switchover, kill-primary-db");
    }
  }

  /**
   * What one drill measured.
   *
   * @param rto fault to the first write the new writer acknowledged
   * @param unavailability first failed write after the fault to that first acknowledgement
   * @param orchestratorRun how long the orchestrator's run took, detection included for failovers
   * @param detection fault to the start of the failover run (zero for a planned switchover)
   * @param lostAcknowledged acknowledged orders the new writer lacks (RPO)
   * @param splitBrain orders the old region acknowledged under an older epoch after the new began
   */
  public record Result(
      String scenario,
      String mode,
      Instant faultAt,
      Duration rto,
      Duration unavailability,
      Duration detection,
      Duration orchestratorRun,
      String runOutcome,
      String runReason,
      long attempts,
      long acknowledged,
      long failed,
      List<String> lostAcknowledged,
      long splitBrain,
      String failback,
      boolean oldPrimaryIsCaughtUpStandby) {}

  private final LocalRegions regions;
  private final PrintWriter progress;
  private final Clock clock = Clock.systemUTC();

  public Drill(LocalRegions regions, PrintWriter progress) {
    this.regions = Objects.requireNonNull(regions, "regions");
    this.progress = Objects.requireNonNull(progress, "progress");
  }

  /** Runs one scenario: A is the writer at the start and again at the end. */
  public Result run(Scenario scenario, int rate, Duration settle) throws Exception {
    RegionId a = regions.settings().topology().primary().id();
    RegionId b = regions.settings().topology().secondary().id();
    try (LocalOrchestration local = LocalOrchestration.open(regions, clock, progress)) {
      Orchestrator orchestrator =
          new Orchestrator(
              OrchestratorConfig.localBuilder()
                  .minFailoverInterval(Duration.ofSeconds(1))
                  // Four sequential probes of up to 1 s each must stay fresh (3 intervals).
                  .healthCheckInterval(Duration.ofSeconds(2))
                  .build(),
              local.ports(),
              clock,
              Sleeper.threadSleep(),
              "drill");
      orchestrator.bootstrapWriteLease(a);
      regions.assignWriter(a, local.ports().control().read().epoch().value());
      TtlCachingResolver resolver =
          new TtlCachingResolver(regions.dns().address(), clock, Duration.ofSeconds(1));
      try (DrillClient client =
          new DrillClient(
              resolver,
              regions.settings().serviceHost(),
              regions.servicePort(),
              "drill-" + scenario.label(),
              rate,
              clock)) {
        client.start();
        Thread.sleep(settle);
        progress.println("drill " + scenario.label() + ": fault");
        Instant faultAt = clock.instant();
        Instant runStart = faultAt;
        RunResult result;
        if (scenario == Scenario.SWITCHOVER) {
          result = orchestrator.run(RunRequest.operator(RunKind.SWITCHOVER, false, "drill"));
        } else {
          regions.replication().node(a).kill9();
          HealthMonitor monitor = new HealthMonitor(orchestrator, "drill-health-monitor");
          Optional<RunResult> failover = Optional.empty();
          long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
          while (failover.isEmpty() && System.nanoTime() < deadline) {
            Instant tickAt = clock.instant();
            failover = monitor.tick().failover();
            if (failover.isEmpty()) {
              Thread.sleep(orchestrator.config().healthCheckInterval());
            } else {
              runStart = tickAt;
            }
          }
          result =
              failover.orElseThrow(
                  () -> new IllegalStateException("the health monitor did not fail over in 60 s"));
        }
        Instant runEnd = clock.instant();
        progress.println("drill " + scenario.label() + ": " + result.reason());
        WriteLease lease = local.ports().control().read();
        RegionId writer = lease.holder().orElse(b);
        regions.assignWriter(writer, lease.epoch().value());
        Instant leaseAt = runEnd;
        awaitFirstAckAfter(client, writer, faultAt, Duration.ofSeconds(60));
        Thread.sleep(settle);
        client.stop();

        List<DrillClient.Attempt> attempts = client.attempts();
        List<String> lost = lostAcknowledged(attempts, writer);
        long splitBrain =
            attempts.stream()
                .filter(DrillClient.Attempt::acknowledged)
                .filter(x -> x.region().filter(a.value()::equals).isPresent())
                .filter(x -> x.epoch().orElse(0L) < lease.epoch().value())
                .filter(x -> x.doneAt().isAfter(leaseAt))
                .count();
        String failback = failback(orchestrator, scenario, a, b);
        boolean caughtUp = caughtUpStandby(b);
        // Recovery is the new writer acknowledging: in a switchover the old one keeps
        // acknowledging until it is fenced, which is not recovery.
        Instant firstAck =
            attempts.stream()
                .filter(DrillClient.Attempt::acknowledged)
                .filter(x -> x.region().filter(writer.value()::equals).isPresent())
                .map(DrillClient.Attempt::doneAt)
                .filter(t -> t.isAfter(faultAt))
                .findFirst()
                .orElse(faultAt);
        Instant firstFailure =
            attempts.stream()
                .filter(x -> !x.acknowledged())
                .map(DrillClient.Attempt::sentAt)
                .filter(t -> !t.isBefore(faultAt))
                .findFirst()
                .orElse(firstAck);
        return new Result(
            scenario.label(),
            regions.settings().mode().name().toLowerCase(Locale.ROOT),
            faultAt,
            Duration.between(faultAt, firstAck),
            firstFailure.isBefore(firstAck)
                ? Duration.between(firstFailure, firstAck)
                : Duration.ZERO,
            Duration.between(faultAt, runStart),
            Duration.between(runStart, runEnd),
            result.outcome().name(),
            result.reason(),
            attempts.size(),
            attempts.stream().filter(DrillClient.Attempt::acknowledged).count(),
            attempts.stream().filter(x -> !x.acknowledged()).count(),
            lost,
            splitBrain,
            failback,
            caughtUp);
      }
    }
  }

  private static void awaitFirstAckAfter(
      DrillClient client, RegionId writer, Instant faultAt, Duration timeout)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      boolean acked =
          client.attempts().stream()
              .anyMatch(
                  x ->
                      x.acknowledged()
                          && x.region().filter(writer.value()::equals).isPresent()
                          && x.doneAt().isAfter(faultAt));
      if (acked) {
        return;
      }
      Thread.sleep(50);
    }
  }

  private List<String> lostAcknowledged(List<DrillClient.Attempt> attempts, RegionId writer) {
    List<CommittedOrder> acked = new ArrayList<>();
    for (DrillClient.Attempt x : attempts) {
      if (x.acknowledged() && x.orderId().isPresent()) {
        acked.add(
            new CommittedOrder(
                x.orderId().get(),
                x.clientOrderId(),
                x.clientOrderId().substring(0, x.clientOrderId().lastIndexOf('-')),
                x.doneAt(),
                x.epoch().orElse(0L),
                "{}"));
      }
    }
    PostgresOrderLedgerSource ledger =
        new PostgresOrderLedgerSource(
            java.util.Map.of(
                writer, regions.replication().node(writer).jdbcUrl(LocalRegions.DATABASE)),
            "postgres",
            Duration.ofSeconds(5));
    Set<String> present = ledger.present(writer, acked);
    return acked.stream().map(CommittedOrder::orderId).filter(id -> !present.contains(id)).toList();
  }

  private String failback(Orchestrator orchestrator, Scenario scenario, RegionId a, RegionId b)
      throws InterruptedException {
    if (scenario == Scenario.KILL_PRIMARY_DB) {
      // The crashed database comes back as B's standby first: A's service needs it to be ready.
      regions.replication().rejoinAsStandby(a, b, Duration.ofSeconds(60));
      regions.restartService(a);
    }
    RunResult back = null;
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      back = orchestrator.run(RunRequest.operator(RunKind.FAILBACK, false, "drill"));
      if (back.outcome() == RunOutcome.COMPLETED) {
        WriteLease lease = orchestrator.ports().control().read();
        regions.assignWriter(lease.holder().orElse(a), lease.epoch().value());
        return back.reason();
      }
      // A guard refused (e.g. A's service not ready yet after its database came back): retry.
      Thread.sleep(1_000);
    }
    return back == null ? "not attempted" : back.outcome() + ": " + back.reason();
  }

  private boolean caughtUpStandby(RegionId standby) {
    try {
      regions.replication().awaitCaughtUp(standby, Duration.ofSeconds(30));
      return regions.replication().status().standby().equals(standby);
    } catch (RuntimeException e) {
      return false;
    }
  }

  /** Writes {@code results} as JSON to {@code dir}/drill.json and returns the file. */
  public static Path writeReport(Path dir, List<Result> results) {
    ObjectMapper json =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .registerModule(new Jdk8Module())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.WRITE_DURATIONS_AS_TIMESTAMPS)
            .enable(SerializationFeature.INDENT_OUTPUT);
    try {
      Files.createDirectories(dir);
      Path file = dir.resolve("drill.json");
      json.writeValue(file.toFile(), results);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the drill report under " + dir, e);
    }
  }

  /** One line per result: the summary table. */
  public static void printSummary(List<Result> results, PrintWriter out) {
    out.printf(
        "%-16s %-5s %9s %9s %9s %9s %6s %5s %5s %s%n",
        "scenario",
        "mode",
        "rto_ms",
        "unavail",
        "detect",
        "run_ms",
        "acked",
        "lost",
        "split",
        "failback");
    for (Result r : results) {
      out.printf(
          "%-16s %-5s %9d %9d %9d %9d %6d %5d %5d %s%n",
          r.scenario(),
          r.mode(),
          r.rto().toMillis(),
          r.unavailability().toMillis(),
          r.detection().toMillis(),
          r.orchestratorRun().toMillis(),
          r.acknowledged(),
          r.lostAcknowledged().size(),
          r.splitBrain(),
          r.oldPrimaryIsCaughtUpStandby() ? "ok, old primary is a caught-up standby" : "FAILED");
    }
  }
}
