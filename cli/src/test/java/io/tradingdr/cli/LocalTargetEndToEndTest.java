package io.tradingdr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.local.regions.LocalState;
import io.tradingdr.local.regions.LocalState.OwnedProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * drctl's {@code local} target on real local regions: the supervisor ({@code local up}, with its
 * health monitor) runs in a JVM of its own, as a user runs it; drctl attaches to it through the
 * same code path as {@code drctl --target local ...}, switches over and back, and {@code local
 * down} stops everything, also the PostgreSQL that drctl's rejoin started.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalTargetEndToEndTest {

  @TempDir static Path dir;
  private static Path runDir;
  private static Process supervisor;
  private static Path supervisorLog;
  private static final List<OwnedProcess> recorded = new ArrayList<>();

  record Run(int exit, String out, String err) {}

  @BeforeAll
  static void up() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    runDir = dir.resolve("run");
    supervisorLog = dir.resolve("supervisor.log");
    Path jar =
        Path.of(System.getProperty("tdr.service.jar", "../service/target/trading-service.jar"));
    supervisor =
        new ProcessBuilder(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp",
                System.getProperty("java.class.path"),
                "io.tradingdr.local.cli.LocalMain",
                "up",
                "--run-dir",
                runDir.toString(),
                "--service-jar",
                jar.toAbsolutePath().toString())
            .redirectErrorStream(true)
            .redirectOutput(supervisorLog.toFile())
            .start();
    long deadline = System.nanoTime() + Duration.ofSeconds(180).toNanos();
    while (!log().contains("press Ctrl-C")) {
      if (!supervisor.isAlive() || System.nanoTime() > deadline) {
        throw new AssertionError("local up did not come up:\n" + log());
      }
      Thread.sleep(200);
    }
  }

  @AfterAll
  static void cleanUp() throws Exception {
    if (supervisor != null && supervisor.isAlive()) {
      supervisor.destroy();
      supervisor.waitFor();
    }
    recorded.forEach(p -> p.live().ifPresent(ProcessHandle::destroyForcibly));
  }

  private static String log() throws Exception {
    return Files.exists(supervisorLog) ? Files.readString(supervisorLog) : "";
  }

  private static Run drctl(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int exit =
        Drctl.execute(
            args,
            new ByteArrayInputStream(new byte[0]),
            out,
            err,
            Map.of("HOSTNAME", "test-host", "DRCTL_LOCAL_RUN_DIR", runDir.toString()));
    return new Run(
        exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  private static JsonNode status() throws Exception {
    Run run = drctl("--target", "local", "status", "-o", "json");
    assertThat(run.exit()).as(run.err() + run.out()).isZero();
    return Json.MAPPER.readTree(run.out());
  }

  private static JsonNode region(JsonNode status, String name) {
    for (JsonNode r : status.get("regions")) {
      if (r.get("region").asText().equals(name)) {
        return r;
      }
    }
    throw new AssertionError("no " + name + " in " + status);
  }

  private static OwnedProcess recordedProcess(String name) {
    return LocalState.read(runDir).orElseThrow().process(name).orElseThrow();
  }

  private static String replicationState(String writer, String standby) throws Exception {
    String url = LocalState.read(runDir).orElseThrow().endpoint(writer + ".postgres");
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    try (Connection c = DriverManager.getConnection(url, props);
        Statement st = c.createStatement();
        ResultSet rs =
            st.executeQuery(
                "SELECT state FROM pg_stat_replication WHERE application_name = '"
                    + standby
                    + "'")) {
      return rs.next() ? rs.getString(1) : "absent";
    }
  }

  @Test
  @Order(1)
  void status_attachesToTheSupervisorsRegions_regionAWrites() throws Exception {
    JsonNode status = status();

    assertThat(region(status, "region-a").get("role").asText()).isEqualTo("WRITER");
    assertThat(region(status, "region-a").get("holdsWriteLease").asBoolean()).isTrue();
    assertThat(region(status, "region-b").get("role").asText()).isEqualTo("STANDBY");
    assertThat(log()).contains("orchestrator: automatic failover on");
  }

  @Test
  @Order(2)
  void switchover_flipsRolesAndEpoch_andRecordsThePostgresItRestarted() throws Exception {
    long epochBefore = region(status(), "region-a").get("writeEpoch").asLong();
    OwnedProcess postgresABefore = recordedProcess("postgres-region-a");

    Run run = drctl("--target", "local", "switchover", "--yes");

    assertThat(run.exit()).as(run.err() + run.out()).isZero();
    JsonNode status = status();
    assertThat(region(status, "region-b").get("role").asText()).isEqualTo("WRITER");
    assertThat(region(status, "region-b").get("holdsWriteLease").asBoolean()).isTrue();
    assertThat(region(status, "region-b").get("writeEpoch").asLong()).isGreaterThan(epochBefore);
    assertThat(region(status, "region-a").get("role").asText()).isEqualTo("STANDBY");
    // The rejoin rewound region-a's PostgreSQL and started it from this (attached) process.
    OwnedProcess postgresA = recordedProcess("postgres-region-a");
    assertThat(postgresA.pid()).isNotEqualTo(postgresABefore.pid());
    assertThat(postgresA.live()).isPresent();
    assertThat(postgresABefore.live()).isEmpty();
    assertThat(replicationState("region-b", "region-a")).isEqualTo("streaming");
    recorded.add(postgresA);
  }

  @Test
  @Order(3)
  void failback_leavesRegionAWriting_andRegionBAStreamingStandby() throws Exception {
    Run run = drctl("--target", "local", "failback", "--yes");

    assertThat(run.exit()).as(run.err() + run.out()).isZero();
    JsonNode status = status();
    assertThat(region(status, "region-a").get("role").asText()).isEqualTo("WRITER");
    assertThat(region(status, "region-a").get("holdsWriteLease").asBoolean()).isTrue();
    assertThat(region(status, "region-b").get("role").asText()).isEqualTo("STANDBY");
    assertThat(replicationState("region-a", "region-b")).isEqualTo("streaming");
    recorded.add(recordedProcess("postgres-region-b"));
  }

  @Test
  @Order(4)
  void localDown_stopsEveryRecordedProcess_includingThoseDrctlStarted() throws Exception {
    recorded.addAll(LocalState.read(runDir).orElseThrow().processes());

    Run run = drctl("local", "down", "--run-dir", runDir.toString(), "--yes");

    assertThat(run.exit()).as(run.err() + run.out()).isZero();
    assertThat(supervisor.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(recorded).allSatisfy(p -> assertThat(p.live()).as(p.name()).isEmpty());
    assertThat(LocalState.read(runDir)).isEmpty();
  }

  @Test
  @Order(5)
  void status_onRegionsThatAreDown_exits3_namingTheRunDirectory() {
    Run run = drctl("--target", "local", "status");

    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err()).contains(runDir.toString()).contains("run 'drctl local up' first");
  }
}
