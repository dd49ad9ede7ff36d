package io.tradingdr.local.drill;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.local.db.PostgresStreamingReplication;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One short drill on real local regions (the service jar built by the reactor): a switchover and a
 * kill -9 of the primary database in sync mode, one run each, under load through the DNS name.
 */
class DrillEndToEndTest {

  @TempDir Path dir;

  @Test
  void shortDrill_switchoverAndKillPrimaryDb_loseNoAcknowledgedOrder_andHaveNoSplitBrain()
      throws Exception {
    // given local regions in sync mode (the PostgreSQL user must reach the run directory)
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path jar =
        Path.of(System.getProperty("tdr.service.jar", "../service/target/trading-service.jar"));
    Drill.Settings settings =
        new Drill.Settings(
            List.of(Scenario.SWITCHOVER, Scenario.KILL_PRIMARY_DB),
            1,
            PostgresStreamingReplication.Mode.SYNC,
            20,
            Duration.ofSeconds(6),
            dir.resolve("report"),
            dir.resolve("run"),
            jar,
            false);
    PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);

    // when the drill runs
    List<DrillRunResult> results = new Drill(settings, out).run();
    DrillReport report = new DrillReport(results, Map.of("test", true));
    report.printSummary(out);
    Path html = report.write(settings.reportDir());

    // then every run passed with nothing lost and no split brain, and the report is written
    assertThat(results)
        .extracting(DrillRunResult::scenario)
        .containsExactly("switchover", "kill-primary-db");
    assertThat(results)
        .allSatisfy(
            r -> {
              assertThat(r.passed()).as(String.join("; ", r.failures())).isTrue();
              assertThat(r.acknowledged()).isPositive();
              assertThat(r.lost()).isZero();
              assertThat(r.splitBrain()).isZero();
              assertThat(r.rtoMs()).isNotNull();
              assertThat(r.timeline().markers()).containsKeys("fault", "promotion", "first write");
            });
    assertThat(report.allPassed()).isTrue();
    assertThat(Files.readString(html)).contains("<svg", "kill-primary-db", "PASS");
    assertThat(Files.readString(settings.reportDir().resolve("report.json")))
        .contains("\"splitBrain\" : 0");
  }
}
