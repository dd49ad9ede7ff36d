package io.tradingdr.cli;

import static io.tradingdr.core.testing.FakeRegions.A;
import static io.tradingdr.core.testing.FakeRegions.B;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.core.rpo.RpoLedger;
import io.tradingdr.core.testing.FakeRegions;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DrctlTest {

  private FakeRegions r;

  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  @BeforeEach
  void regions() {
    r = new FakeRegions();
    FakeBackend.regions = r;
  }

  private Run typing(String stdin, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Drctl.execute(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            out,
            err,
            // The real backends (local, aws) are on the classpath too: pick the fake one.
            Map.of("HOSTNAME", "test-host", "DRCTL_TARGET", "fake"));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private Run drctl(String... args) {
    return typing("", args);
  }

  private void writerDownWithLag(Duration lag) {
    r.regionDown(A);
    r.replication.lagWhenWriterDown(Optional.of(lag));
  }

  // status --------------------------------------------------------------------------------------

  @Test
  void status_printsATableOfBothRegions() {
    Run run = drctl("status");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("REGION    ROLE     ENTRY-POINT")
        .containsPattern("region-a +WRITER +up \\(200 ready, 12ms\\)")
        .containsPattern("region-b +STANDBY .* 20ms +0 +1 +- +0/3E8")
        .contains("write lease:        held by region-a at epoch 1")
        .contains("automatic failover: ON");
  }

  @Test
  void status_asJson_givesTheSameData() throws Exception {
    Run run = drctl("status", "--output", "json");

    JsonNode json = Json.MAPPER.readTree(run.out());
    assertThat(run.exit()).isZero();
    assertThat(json.get("regions").get(0).get("region").asText()).isEqualTo("region-a");
    assertThat(json.get("regions").get(0).get("role").asText()).isEqualTo("WRITER");
    assertThat(json.get("regions").get(0).get("routingWeight").asInt()).isEqualTo(100);
    assertThat(json.get("regions").get(1).get("health").get("standby-side").asText())
        .startsWith("up");
    assertThat(json.get("replicationLag").asText()).isEqualTo("PT0.02S");
  }

  @Test
  void status_exits3_whenPartOfTheEnvironmentIsUnreachable() {
    r.router.unreachable(true);

    Run run = drctl("status");

    assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.out()).contains("problems:", "router: unreachable:");
  }

  @Test
  void anyCommand_exits3_whenTheTargetCannotBeOpened() throws Exception {
    Path config = dir.resolve("drctl.properties");
    Files.writeString(config, "target=fake\nfake.unreachable=true\n");

    Run run = drctl("--config", config.toString(), "status");

    assertThat(run.exit()).isEqualTo(ExitCodes.UNREACHABLE);
    assertThat(run.err())
        .isEqualTo(
            "drctl: environment unreachable: fake control store at 127.0.0.1:1 refused the"
                + " connection"
                + System.lineSeparator());
  }

  // switchover / failover / failback ------------------------------------------------------------

  @Test
  void switchover_asksForConfirmation_andDoesNothingWithoutYes() {
    Run run = typing("no\n", "switchover");

    assertThat(run.exit()).isEqualTo(ExitCodes.ABORTED);
    assertThat(run.err())
        .contains("Run switchover region-a -> region-b now? Type 'yes' to continue:");
    assertThat(run.err()).contains("aborted; nothing was changed");
    assertThat(r.replication.promotions()).isZero();
    assertThat(r.control.allEntries()).isEmpty();
  }

  @Test
  void switchover_runs_whenTheOperatorTypesYes() {
    Run run = typing("yes\n", "switchover");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("switchover plan: region-a -> region-b", "promote", "switchover COMPLETED");
    assertThat(r.replication.writer()).contains(B);
  }

  @Test
  void switchover_withYes_doesNotAsk() {
    Run run = drctl("switchover", "--yes");

    assertThat(run.exit()).isZero();
    assertThat(run.err()).doesNotContain("Type 'yes'");
  }

  @Test
  void failover_dryRun_printsThePlanWithEachGuard_andChangesNothing() {
    writerDownWithLag(Duration.ofMillis(300));

    Run run = drctl("failover", "--dry-run");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("failover plan: region-a -> region-b")
        .containsPattern("runLease +PROCEED +runLease: free")
        .containsPattern(
            "maxLagOnFailover +PROCEED +maxLagOnFailover: standby lag 300ms within 10s")
        .contains("5. promote: promote region-b (ALLOW_DATA_LOSS)")
        .contains("dry run: nothing was changed");
    assertThat(r.replication.promotions()).isZero();
    assertThat(r.control.allEntries()).isEmpty();
    assertThat(r.router.changes()).isEmpty();
  }

  @Test
  void failover_refusedByTheLagGuard_exits1_namingTheGuard() {
    writerDownWithLag(Duration.ofSeconds(42));

    Run run = drctl("failover", "--yes");

    assertThat(run.exit()).isEqualTo(ExitCodes.REFUSED_OR_FAILED);
    assertThat(run.err())
        .contains(
            "drctl: failover refused: maxLagOnFailover: standby lag 42s exceeds 10s (use --force to"
                + " accept the loss)");
    assertThat(r.replication.promotions()).isZero();
  }

  @Test
  void failover_withForce_promotesDespiteTheLag() {
    writerDownWithLag(Duration.ofSeconds(42));

    Run run = drctl("failover", "--force", "--yes", "--output", "json");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("\"outcome\" : \"COMPLETED\"");
    assertThat(r.replication.writer()).contains(B);
  }

  @Test
  void guardConfiguredInTheConfigFile_isApplied() throws Exception {
    writerDownWithLag(Duration.ofMillis(1500));
    Path config = dir.resolve("drctl.properties");
    Files.writeString(config, "target=fake\norchestrator.maxLagOnFailover=1s\n");

    Run run = drctl("--config", config.toString(), "failover", "--dry-run");

    assertThat(run.exit()).isEqualTo(ExitCodes.REFUSED_OR_FAILED);
    assertThat(run.out()).contains("maxLagOnFailover: standby lag 1.5s exceeds 1s");
  }

  @Test
  void invalidGuardInTheConfigFile_exits2_namingTheSetting() throws Exception {
    Path config = dir.resolve("drctl.properties");
    Files.writeString(config, "target=fake\norchestrator.maxLagOnFailover=forever\n");

    Run run = drctl("--config", config.toString(), "status");

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith("drctl: maxLagOnFailover must be a duration such as 500ms, 10s");
  }

  @Test
  void missingConfigFile_exits2() {
    Run run = drctl("--config", dir.resolve("nope.properties").toString(), "status");

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("does not exist");
  }

  @Test
  void failback_refused_whenHomeIsTheWriter() {
    Run run = drctl("failback", "--yes");

    assertThat(run.exit()).isEqualTo(ExitCodes.REFUSED_OR_FAILED);
    assertThat(run.err()).contains("topology: the writer is region-a, not region-b");
  }

  // usage ---------------------------------------------------------------------------------------

  @Test
  void wrongOption_printsAClearMessageAndUsage_exit2_noStackTrace() {
    Run run = drctl("failover", "--bogus");

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).startsWith("drctl: Unknown option: '--bogus'");
    assertThat(run.err()).contains("Usage: drctl failover");
    assertThat(run.err()).doesNotContain("Exception", "\tat ");
  }

  @Test
  void badOutputFormat_exits2_listingTheAllowedValues() {
    Run run = drctl("status", "--output", "xml");

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("expected one of [TABLE, JSON]");
  }

  @Test
  void unknownTarget_exits2_listingTheAvailableOnes() {
    Run run = drctl("--target", "mars", "status");

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err())
        .startsWith("drctl: unknown target 'mars'; available: ")
        .contains("fake", "aws");
  }

  @Test
  void targetOption_isAcceptedAfterTheSubcommandToo() {
    assertThat(drctl("status", "--target", "fake").exit()).isZero();
    assertThat(FakeBackend.lastSettings.target()).isEqualTo("fake");
  }

  @Test
  void noCommand_printsUsage_exit2() {
    Run run = drctl();

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("a command is required", "Usage: drctl");
  }

  @Test
  void help_listsCommandsTargetsExtensionsAndExitCodes() {
    Run run = drctl("--help");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains(
            "status",
            "switchover",
            "failover",
            "failback",
            "pause",
            "resume",
            "history",
            "reconcile")
        .contains("hello")
        .contains("Targets:", "fake     in-memory regions for tests")
        .contains(
            "Exit codes:", "3   environment unreachable", "4   aborted at the confirmation prompt");
  }

  @Test
  void badLimit_exits2() {
    Run run = drctl("history", "--limit", "0");

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("--limit must be between 1 and 1000, was 0");
  }

  @Test
  void extensionSubcommand_getsTheSelectedTarget() {
    Run run = drctl("hello");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("hello [region-a, region-b]");
  }

  // pause / resume / history --------------------------------------------------------------------

  @Test
  void pauseAndResume_areShownByStatusAndHistory() throws Exception {
    assertThat(drctl("pause", "--reason", "market open").exit()).isZero();
    assertThat(drctl("status").out())
        .containsPattern("automatic failover: PAUSED by drctl:.*: market open");
    r.clock.advance(Duration.ofSeconds(5));
    assertThat(drctl("resume").exit()).isZero();
    assertThat(drctl("status").out()).contains("automatic failover: ON");

    Run history = drctl("history", "--output", "json");

    JsonNode runs = Json.MAPPER.readTree(history.out());
    assertThat(runs).hasSize(2);
    assertThat(runs.get(0).get("kind").asText()).isEqualTo("RESUME");
    assertThat(runs.get(1).get("reason").asText()).contains("market open");
  }

  @Test
  void history_tableShowsRunsWithReasonsDurationsAndSteps() {
    drctl("switchover", "--yes");

    Run run = drctl("history", "--steps");

    assertThat(run.exit()).isZero();
    assertThat(run.out())
        .contains("STARTED", "switchover", "COMPLETED", "region-a", "region-b")
        .containsPattern("promote +COMPLETED +0s +promote: region-b promoted \\(NO_DATA_LOSS\\)");
  }

  // reconcile -----------------------------------------------------------------------------------

  @Test
  void reconcile_writesTheLedger_thenReplaysIt_idempotently() throws Exception {
    var o1 = r.orders.commit(A, "c-1", "acct-1");
    r.orders.replicate(B, o1);
    r.replication.replayAll();
    r.clock.advance(Duration.ofMillis(300));
    r.orders.commit(A, "c-2", "acct-1");
    writerDownWithLag(Duration.ofMillis(300));
    assertThat(drctl("failover", "--yes").exit()).isZero();
    r.regionUp(A);
    Path report = dir.resolve("ledger.json");

    Run taken = drctl("reconcile", "--report", report.toString());

    assertThat(taken.exit()).isZero();
    assertThat(taken.out())
        .contains("c-2", "1 orders committed on region-a are missing on region-b");
    RpoLedger ledger = Json.MAPPER.readValue(report.toFile(), RpoLedger.class);
    assertThat(ledger.missing()).extracting(o -> o.clientOrderId()).containsExactly("c-2");
    assertThat(r.ledgers.size()).isEqualTo(1);

    Run dry = drctl("reconcile", "--report", report.toString(), "--replay", "--dry-run");
    assertThat(dry.out()).contains("dry run: would replay 1 orders on region-b");
    assertThat(r.orders.orders(B)).hasSize(1);

    Run replayed = drctl("reconcile", "--report", report.toString(), "--replay", "--yes");
    assertThat(replayed.exit()).isZero();
    assertThat(replayed.out()).contains("1 replayed, 0 already present");
    assertThat(r.orders.orders(B)).extracting(o -> o.clientOrderId()).containsExactly("c-1", "c-2");

    Run again = drctl("reconcile", "--report", report.toString(), "--replay", "--yes");
    assertThat(again.out()).contains("0 replayed, 1 already present");
    assertThat(r.orders.orders(B)).hasSize(2);
  }

  @Test
  void reconcile_markCancelled_asksFirst() throws Exception {
    r.orders.commit(A, "c-7", "acct-1");
    writerDownWithLag(Duration.ofMillis(300));
    drctl("failover", "--yes");
    r.regionUp(A);
    Path report = dir.resolve("ledger.json");
    drctl("reconcile", "--report", report.toString());

    Run declined = typing("\n", "reconcile", "--report", report.toString(), "--mark-cancelled");
    assertThat(declined.exit()).isEqualTo(ExitCodes.ABORTED);
    assertThat(r.orders.cancelled(B)).isEmpty();

    Run done = typing("yes\n", "reconcile", "--report", report.toString(), "--mark-cancelled");
    assertThat(done.exit()).isZero();
    assertThat(r.orders.cancelled(B)).hasSize(1);
  }

  @Test
  void reconcile_withAnActionButNoReport_exits2() {
    Run run = drctl("reconcile", "--replay");

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("need --report FILE");
  }

  @Test
  void reconcile_bothActions_exits2() {
    Run run = drctl("reconcile", "--replay", "--mark-cancelled", "--report", "x.json");

    assertThat(run.exit()).isEqualTo(ExitCodes.USAGE);
    assertThat(run.err()).contains("mutually exclusive");
  }

  @Test
  void reconcile_withoutAFailover_exits1() {
    Run run = drctl("reconcile");

    assertThat(run.exit()).isEqualTo(ExitCodes.REFUSED_OR_FAILED);
    assertThat(run.err()).contains("no failover that promoted a database is in the journal");
  }
}
