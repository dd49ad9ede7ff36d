package io.tradingdr.local.regions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.local.db.PostgresStreamingReplication;
import io.tradingdr.local.regions.LocalState.OwnedProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRegionsControlTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private Process supervisor;
  private Process child;
  private Process stranger;

  @AfterEach
  void stopSleepers() {
    for (Process p : new Process[] {supervisor, child, stranger}) {
      if (p != null) {
        p.destroyForcibly();
      }
    }
  }

  private static Process sleeper() throws Exception {
    return new ProcessBuilder("sleep", "60").start();
  }

  @Test
  void down_stopsTheSupervisorAndItsRecordedProcesses_butNotAProcessWhosePidWasReused()
      throws Exception {
    supervisor = sleeper();
    child = sleeper();
    stranger = sleeper();
    OwnedProcess recycled =
        new OwnedProcess(
            "service-region-a",
            stranger.pid(),
            OwnedProcess.of("x", stranger.toHandle()).startedAt().minusSeconds(3600));
    new LocalState(
            OwnedProcess.of("supervisor", supervisor.toHandle()),
            List.of(OwnedProcess.of("knotd", child.toHandle()), recycled),
            Map.of("dns", "127.0.3.1:5353"))
        .write(dir);

    boolean stopped =
        LocalRegionsControl.down(dir, Duration.ofSeconds(5), new PrintWriter(out, true));

    assertThat(stopped).isTrue();
    assertThat(supervisor.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(child.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(stranger.isAlive()).as("a process that only shares a recorded PID").isTrue();
    assertThat(LocalState.read(dir)).isEmpty();
  }

  @Test
  void status_reportsEachProcess_andFalseWhenOneIsGone() throws Exception {
    child = sleeper();
    Process gone = sleeper();
    OwnedProcess goneEntry = OwnedProcess.of("dynamodb-control", gone.toHandle());
    gone.destroyForcibly().waitFor();
    new LocalState(
            OwnedProcess.of("supervisor", ProcessHandle.current()),
            List.of(OwnedProcess.of("knotd", child.toHandle()), goneEntry),
            Map.of("dns", "127.0.3.1:5353"))
        .write(dir);

    boolean allRunning = LocalRegionsControl.status(dir, new PrintWriter(out, true));

    assertThat(allRunning).isFalse();
    assertThat(out.toString())
        .containsPattern("knotd +PID \\d+ +running")
        .containsPattern("dynamodb-control +PID \\d+ +stopped")
        .contains("127.0.3.1:5353");
  }

  @Test
  void up_refuses_whileAnotherSupervisorOwnsTheRunDirectory() throws Exception {
    new LocalState(OwnedProcess.of("supervisor", ProcessHandle.current()), List.of(), Map.of())
        .write(dir);
    Path jar = Files.writeString(dir.resolve("service.jar"), "x");

    assertThatThrownBy(
            () ->
                LocalRegions.up(
                    LocalRegionsSettings.of(dir, PostgresStreamingReplication.Mode.SYNC, jar),
                    new PrintWriter(out, true)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("already run")
        .hasMessageContaining("drctl local down");
    assertThat(LocalState.read(dir)).isPresent();
  }
}
