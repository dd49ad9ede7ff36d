package io.tradingdr.local.cli;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.run.RunKind;
import io.tradingdr.core.run.RunRequest;
import io.tradingdr.core.run.RunResult;
import io.tradingdr.core.run.Sleeper;
import io.tradingdr.local.orchestration.LocalOrchestration;
import io.tradingdr.local.regions.LocalRegions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;

/**
 * One operator run (switchover, failover, failback) by an orchestrator in a JVM of its own,
 * attached to running local regions: what the drill starts, and kills with SIGKILL, to crash an
 * orchestrator for real in the middle of a run. drctl does the same with {@code drctl --target
 * local failover --yes}; this needs only the local module's classpath.
 *
 * <pre>
 * java -cp ... io.tradingdr.local.cli.LocalRunMain RUN_DIR switchover|failover|failback OWNER
 *     [--force] [--wait-for-go] [setting=value ...]
 * </pre>
 *
 * With {@code --wait-for-go} it attaches, reads the replication status once (so that it knows the
 * standby's lag while the writer still answers, as a long-running orchestrator does), prints {@code
 * ready}, and starts the run only when a line {@code go} arrives on standard input: the drill
 * starts it before its fault and triggers it after.
 *
 * <p>Settings are {@link OrchestratorConfig} settings over the local preset ({@code
 * runLeaseTtl=3s}). Prints the run's outcome and decisions; exits 0 when the run completed, 1
 * otherwise, 2 on bad arguments.
 */
public final class LocalRunMain {

  private LocalRunMain() {}

  public static void main(String[] args) throws IOException {
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
    if (args.length < 3) {
      out.println(
          "usage: LocalRunMain RUN_DIR switchover|failover|failback OWNER [--force]"
              + " [setting=value ...]");
      System.exit(2);
    }
    RunKind kind;
    OrchestratorConfig.Builder config = OrchestratorConfig.localBuilder();
    boolean force = false;
    boolean waitForGo = false;
    try {
      kind = RunKind.valueOf(args[1].toUpperCase(Locale.ROOT));
      for (int i = 3; i < args.length; i++) {
        if (args[i].equals("--force")) {
          force = true;
        } else if (args[i].equals("--wait-for-go")) {
          waitForGo = true;
        } else {
          String[] kv = args[i].split("=", 2);
          if (kv.length != 2) {
            throw new IllegalArgumentException("expected setting=value, was " + args[i]);
          }
          config.set(kv[0], kv[1]);
        }
      }
    } catch (IllegalArgumentException e) {
      out.println("error: " + e.getMessage());
      System.exit(2);
      return;
    }
    try (LocalRegions regions = LocalRegions.attach(Path.of(args[0]), out);
        LocalOrchestration orchestration =
            LocalOrchestration.open(regions, Clock.systemUTC(), out)) {
      if (waitForGo) {
        out.println("replication before the run: " + orchestration.ports().replication().status());
        out.println("ready");
        String line =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
        if (!"go".equals(line)) {
          out.println("no 'go' on standard input (got " + line + "): no run");
          System.exit(1);
          return;
        }
      }
      RunResult result =
          new Orchestrator(
                  config.build(),
                  orchestration.ports(),
                  Clock.systemUTC(),
                  Sleeper.threadSleep(),
                  args[2])
              .run(RunRequest.operator(kind, force, args[2]));
      out.println(
          result.kind() + " " + result.runId() + " " + result.outcome() + ": " + result.reason());
      result.decisions().forEach(d -> out.println("  " + d));
      System.exit(result.outcome() == io.tradingdr.core.run.RunOutcome.COMPLETED ? 0 : 1);
    }
  }
}
