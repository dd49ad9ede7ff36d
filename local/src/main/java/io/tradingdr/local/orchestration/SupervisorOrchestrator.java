package io.tradingdr.local.orchestration;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.decision.Decision;
import io.tradingdr.core.detect.DetectionVerdict;
import io.tradingdr.core.detect.RegionHealth;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.run.HealthMonitor;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.run.RunOutcome;
import io.tradingdr.core.run.RunResult;
import io.tradingdr.core.run.Sleeper;
import io.tradingdr.local.regions.LocalRegions;
import io.tradingdr.local.regions.SupervisorMonitorHold;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The orchestrator that {@code drctl local up} runs next to its regions, as the orchestrator Lambda
 * runs next to the AWS regions: every {@code healthCheckInterval} (local preset: 1 s, threshold 3)
 * one {@link HealthMonitor} round probes both regions from both observers and asks for an automatic
 * failover when they agree the writer is down, and an unfinished run in the journal (an
 * orchestrator that died mid-run) is resumed. The guards still decide: the pause switch in the
 * control store ({@code drctl pause}), the lag guard, the anti-flapping interval; and the run lease
 * lets one run at a time happen, so a {@code drctl --target local switchover} from another process
 * and this monitor never act together.
 *
 * <p>What it decides (a region going down or coming back, every step of a run with its reason, a
 * failing round) is printed to the terminal and appended to {@code logs/orchestrator.log} in the
 * run directory. While a {@link SupervisorMonitorHold} names a live process (a drill running its
 * own orchestrators), rounds are skipped.
 */
public final class SupervisorOrchestrator implements AutoCloseable {

  private final LocalRegions regions;
  private final LocalOrchestration orchestration;
  private final Orchestrator orchestrator;
  private final HealthMonitor monitor;
  private final PrintWriter terminal;
  private final Path log;
  private final Clock clock;
  private final Map<RegionId, RegionHealth> lastHealth = new HashMap<>();
  private final Thread thread;
  private volatile boolean stopping;
  private String lastProblem = "";
  private Optional<String> lastHold = Optional.empty();

  private SupervisorOrchestrator(
      LocalRegions regions, OrchestratorConfig config, PrintWriter terminal, Clock clock) {
    this.regions = regions;
    this.terminal = terminal;
    this.clock = clock;
    this.log = regions.settings().runDir().resolve("logs").resolve("orchestrator.log");
    this.orchestration = LocalOrchestration.open(regions, clock, terminal);
    String owner = "local-up:" + ProcessHandle.current().pid();
    this.orchestrator =
        new Orchestrator(config, orchestration.ports(), clock, Sleeper.threadSleep(), owner);
    this.monitor = new HealthMonitor(orchestrator, owner);
    this.thread = Thread.ofPlatform().daemon().name("local-up-monitor").unstarted(this::loop);
  }

  /** Starts the monitor on its own thread with {@code config} (normally the local preset). */
  public static SupervisorOrchestrator start(
      LocalRegions regions, OrchestratorConfig config, PrintWriter terminal, Clock clock) {
    Objects.requireNonNull(regions, "regions");
    try {
      Files.createDirectories(regions.settings().runDir().resolve("logs"));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the log directory", e);
    }
    SupervisorOrchestrator s = new SupervisorOrchestrator(regions, config, terminal, clock);
    s.say(
        String.format(
            "orchestrator: automatic failover on (checks every %d ms, down after %d failed checks"
                + " by %s); log %s",
            config.healthCheckInterval().toMillis(),
            config.failureThreshold(),
            String.join(" and ", config.detectionObservers()),
            s.log));
    s.thread.start();
    return s;
  }

  private void loop() {
    long interval = orchestrator.config().healthCheckInterval().toNanos();
    long next = System.nanoTime();
    while (!stopping) {
      round();
      next += interval;
      long wait = next - System.nanoTime();
      if (wait < 0) {
        next = System.nanoTime();
        continue;
      }
      try {
        Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  private void round() {
    Optional<String> hold = SupervisorMonitorHold.heldBy(regions.settings().runDir());
    if (!hold.equals(lastHold)) {
      lastHold = hold;
      say(
          hold.map(h -> "orchestrator: automatic failover held by " + h + "; rounds skipped")
              .orElse("orchestrator: automatic failover no longer held; rounds resume"));
    }
    if (hold.isPresent()) {
      lastHealth.clear();
      return;
    }
    try {
      orchestrator
          .resumeUnfinished()
          .filter(r -> r.outcome() != RunOutcome.REFUSED)
          .ifPresent(this::report);
      orchestration.roundProbes().prefetch();
      HealthMonitor.Tick tick = monitor.tick();
      for (DetectionVerdict v : tick.verdicts()) {
        RegionHealth previous = lastHealth.put(v.region(), v.health());
        if (previous != null && previous != v.health()) {
          say(
              "orchestrator: "
                  + v.region()
                  + " "
                  + previous
                  + " -> "
                  + v.health()
                  + ": "
                  + v.reason());
        }
      }
      tick.failover().ifPresent(this::report);
      lastProblem = "";
    } catch (InterruptedException e) {
      // close() interrupts the loop: the round is abandoned, the loop ends.
      Thread.currentThread().interrupt();
      stopping = true;
    } catch (RuntimeException e) {
      String problem = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!problem.equals(lastProblem)) {
        lastProblem = problem;
        say("orchestrator: round failed: " + problem);
      }
    }
  }

  private void report(RunResult r) {
    say(
        "orchestrator: "
            + (r.resumed() ? "resumed " : "")
            + r.kind()
            + " "
            + r.runId()
            + " "
            + r.outcome()
            + ": "
            + r.reason());
    for (Decision d : r.decisions()) {
      say("  " + d.step() + " " + d.verdict() + ": " + d.reason());
    }
  }

  private synchronized void say(String line) {
    terminal.println(line);
    terminal.flush();
    try {
      Files.writeString(
          log,
          clock.instant() + " " + line + System.lineSeparator(),
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
    } catch (IOException e) {
      terminal.println("warning: cannot write " + log + ": " + e.getMessage());
    }
  }

  /** Stops the monitor (waits for a run in progress to end its current step) and its clients. */
  @Override
  public void close() {
    stopping = true;
    thread.interrupt();
    try {
      thread.join(orchestrator.config().runLeaseTtl().toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    orchestration.close();
  }
}
