package io.tradingdr.local.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.local.db.PostgresStreamingReplication;
import io.tradingdr.local.regions.LocalRegions;
import io.tradingdr.local.regions.LocalRegionsSettings;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The short drill of the test command: a switchover and a kill -9 of the primary database. */
class DrillTest {

  @TempDir Path dir;

  @Test
  void switchoverAndKillPrimaryDb_inSyncMode_loseNoAcknowledgedOrder_andFailBack()
      throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar =
        Path.of(System.getProperty("tdr.service.jar", "../service/target/trading-service.jar"));
    StringWriter log = new StringWriter();
    PrintWriter progress = new PrintWriter(log, true);
    try {
      runDrill(jar, progress);
    } finally {
      System.out.println(log);
    }
  }

  private void runDrill(Path jar, PrintWriter progress) throws Exception {
    try (LocalRegions regions =
        LocalRegions.up(
            LocalRegionsSettings.of(
                dir.resolve("run"), PostgresStreamingReplication.Mode.SYNC, jar),
            progress)) {
      Drill drill = new Drill(regions, progress);

      List<Drill.Result> results =
          List.of(
              drill.run(Drill.Scenario.SWITCHOVER, 20, Duration.ofSeconds(1)),
              drill.run(Drill.Scenario.KILL_PRIMARY_DB, 20, Duration.ofSeconds(1)));

      StringWriter summary = new StringWriter();
      Drill.printSummary(results, new PrintWriter(summary, true));
      System.out.println(summary);
      Path report = Drill.writeReport(dir.resolve("report"), results);
      assertThat(Files.readString(report)).contains("kill-primary-db");
      assertThat(results)
          .allSatisfy(
              r -> {
                assertThat(r.runOutcome()).as(r.runReason()).isEqualTo("COMPLETED");
                assertThat(r.lostAcknowledged()).as("acknowledged orders lost").isEmpty();
                assertThat(r.splitBrain()).as("split-brain acknowledgements").isZero();
                assertThat(r.acknowledged()).isPositive();
                assertThat(r.rto()).isPositive();
                assertThat(r.oldPrimaryIsCaughtUpStandby()).as(r.failback()).isTrue();
              });
    }
  }
}
