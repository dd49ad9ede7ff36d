package io.tradingdr.cli;

import io.tradingdr.core.decision.Decision;
import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.FailoverRecord;
import io.tradingdr.core.rpo.ReconcileAction;
import io.tradingdr.core.rpo.Reconciler;
import io.tradingdr.core.rpo.RpoLedger;
import io.tradingdr.core.rpo.RpoLedgerBuilder;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.spi.DrEnvironment;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(
    name = "reconcile",
    mixinStandardHelpOptions = true,
    description = {
      "The RPO ledger of an unplanned failover: the orders the old primary committed that the new"
          + " primary lacks, by order id and client order id.",
      "Without an action: reads both databases (the old primary must be readable again), writes"
          + " the ledger to --report and saves it with the target.",
      "With --replay or --mark-cancelled: applies that action to every order of the --report"
          + " file, through the current writer's normal write path (idempotent by client order"
          + " id). Asks for confirmation unless --yes; --dry-run lists what would be done."
    })
final class ReconcileCommand implements Callable<Integer> {

  @ParentCommand Drctl root;

  @Option(
      names = "--run",
      paramLabel = "RUN_ID",
      description = "The failover run (default: the newest failover that promoted).")
  String runId;

  @Option(
      names = "--report",
      paramLabel = "FILE",
      description = "The ledger report (JSON). Default when writing: rpo-ledger-<run>.json.")
  Path report;

  @ArgGroup(exclusive = true)
  Action action;

  static final class Action {
    @Option(names = "--replay", required = true, description = "Submit the orders again.")
    boolean replay;

    @Option(
        names = "--mark-cancelled",
        required = true,
        description = "Record the orders as cancelled on the current writer.")
    boolean markCancelled;
  }

  @Option(
      names = {"-y", "--yes"},
      description = "Do not ask for confirmation.")
  boolean yes;

  @Option(names = "--dry-run", description = "List what would be done; change nothing.")
  boolean dryRun;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      description = "table or json (default: ${DEFAULT-VALUE}).")
  OutputFormat output = OutputFormat.TABLE;

  @Override
  public Integer call() {
    return action == null ? takeLedger() : apply();
  }

  private int takeLedger() {
    Orchestrator orchestrator = root.orchestrator();
    Optional<FailoverRecord> record =
        runId == null ? orchestrator.lastFailoverRecord() : orchestrator.failoverRecord(runId);
    if (record.isEmpty()) {
      root.err()
          .println(
              "drctl: reconcile: "
                  + (runId == null
                      ? "no failover that promoted a database is in the journal"
                      : "run " + runId + " is not a failover that promoted a database"));
      return ExitCodes.REFUSED_OR_FAILED;
    }
    DrEnvironment env = root.environment();
    RpoLedger ledger =
        new RpoLedgerBuilder(env.ports().orderLedger(), env.config(), env.clock())
            .build(record.get());
    Path file = report != null ? report : Path.of("rpo-ledger-" + ledger.failoverRunId() + ".json");
    if (!dryRun) {
      env.ports().rpoLedgers().save(ledger);
      write(file, ledger);
      orchestrator.journalDecision(
          "RECONCILE",
          Decision.proceed(
              "rpo-ledger",
              "rpo-ledger: "
                  + ledger.missing().size()
                  + " orders of "
                  + ledger.failoverRunId()
                  + " listed in "
                  + file,
              Map.of(
                  "rpo.failoverRunId",
                  ledger.failoverRunId(),
                  "rpo.missing",
                  Integer.toString(ledger.missing().size()))));
    }
    PrintWriter out = root.out();
    if (output == OutputFormat.JSON) {
      out.println(Json.write(ledger));
      return ExitCodes.OK;
    }
    printLedger(ledger, out);
    if (dryRun) {
      out.println("dry run: no report written");
    } else {
      out.println("report written to " + file);
      if (!ledger.missing().isEmpty()) {
        out.println("next: drctl reconcile --report " + file + " --replay | --mark-cancelled");
      }
    }
    return ExitCodes.OK;
  }

  private int apply() {
    if (report == null) {
      throw new UsageException(
          "reconcile --replay and --mark-cancelled need --report FILE (written by 'drctl reconcile')");
    }
    RpoLedger ledger = read(report);
    ReconcileAction what = action.replay ? ReconcileAction.REPLAY : ReconcileAction.MARK_CANCELLED;
    DrEnvironment env = root.environment();
    RegionId writer = currentWriter(env);
    PrintWriter out = root.out();
    printLedger(ledger, out);
    String verb = what == ReconcileAction.REPLAY ? "replay" : "mark cancelled";
    if (dryRun) {
      out.println(
          "dry run: would "
              + verb
              + " "
              + ledger.missing().size()
              + " orders on "
              + writer
              + "; nothing was changed");
      return ExitCodes.OK;
    }
    if (ledger.missing().isEmpty()) {
      out.println("nothing to reconcile");
      return ExitCodes.OK;
    }
    if (!root.confirm(
        "Really " + verb + " " + ledger.missing().size() + " orders on " + writer + "?", yes)) {
      root.err().println("drctl: aborted; nothing was changed");
      return ExitCodes.ABORTED;
    }
    Reconciler.ReconcileReport result =
        new Reconciler(env.reconciliation()).reconcile(ledger, what, writer);
    String summary =
        "reconcile: "
            + what
            + " of "
            + ledger.failoverRunId()
            + " on "
            + writer
            + ": "
            + result.counts();
    root.orchestrator()
        .journalDecision(
            "RECONCILE",
            result.complete()
                ? Decision.proceed(
                    "reconcile", summary, Map.of("rpo.failoverRunId", ledger.failoverRunId()))
                : Decision.failed(
                    "reconcile",
                    summary.substring("reconcile: ".length()),
                    Map.of("rpo.failoverRunId", ledger.failoverRunId())));
    if (output == OutputFormat.JSON) {
      out.println(Json.write(result));
    } else {
      Table t = new Table("ORDER", "CLIENT ORDER", "ACCOUNT", "OUTCOME", "DETAIL");
      result
          .results()
          .forEach(
              r -> t.row(r.orderId(), r.clientOrderId(), r.account(), r.outcome(), r.detail()));
      t.print(out);
      out.println(summary);
    }
    return result.complete() ? ExitCodes.OK : ExitCodes.REFUSED_OR_FAILED;
  }

  private static RegionId currentWriter(DrEnvironment env) {
    WriteLease lease = env.ports().control().read();
    if (lease.holder().isPresent()) {
      return lease.holder().get();
    }
    ReplicationStatus status = env.ports().replication().status();
    return status
        .writer()
        .orElseThrow(
            () ->
                new io.tradingdr.core.port.RefusedException(
                    "no region holds the write lease or writes; reconcile after the failover completes"));
  }

  private static void printLedger(RpoLedger ledger, PrintWriter out) {
    out.println(
        "RPO ledger of "
            + ledger.failoverRunId()
            + ": "
            + ledger.oldWriter()
            + " -> "
            + ledger.newWriter()
            + ", promoted at "
            + ledger.promotedAt()
            + " (standby at "
            + ledger.standbyWatermarkAtPromotion()
            + ", old writer last seen at "
            + ledger.oldWriterLastKnownWatermark()
            + ")");
    if (ledger.missing().isEmpty()) {
      out.println("no order is missing on " + ledger.newWriter());
      return;
    }
    Table t = new Table("ORDER", "CLIENT ORDER", "ACCOUNT", "COMMITTED", "EPOCH");
    for (CommittedOrder o : ledger.missing()) {
      t.row(o.orderId(), o.clientOrderId(), o.account(), o.committedAt(), o.epoch());
    }
    t.print(out);
    out.println(
        ledger.missing().size()
            + " orders committed on "
            + ledger.oldWriter()
            + " are missing on "
            + ledger.newWriter());
  }

  private static void write(Path file, RpoLedger ledger) {
    try {
      Files.writeString(file, Json.write(ledger));
    } catch (IOException e) {
      throw new UsageException("cannot write the report " + file + ": " + e.getMessage(), e);
    }
  }

  private static RpoLedger read(Path file) {
    try {
      return Json.MAPPER.readValue(file.toFile(), RpoLedger.class);
    } catch (IOException e) {
      throw new UsageException("cannot read the report " + file + ": " + e.getMessage(), e);
    }
  }
}
