package io.tradingdr.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.local.regions.LocalState;
import io.tradingdr.local.regions.LocalState.OwnedProcess;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Opening the {@code local} target where no supervisor runs: exit 3, and what to do about it. */
class LocalTargetTest {

  @TempDir Path dir;

  private int exit;
  private String err;

  private void drctl(Map<String, String> env, String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    exit = Drctl.execute(args, new ByteArrayInputStream(new byte[0]), out, errBytes, env);
    err = errBytes.toString(StandardCharsets.UTF_8);
  }

  @Test
  void status_exits3_whenTheRunDirectoryHoldsNoRegions() {
    Path missing = dir.resolve("nothing-here");

    drctl(Map.of("DRCTL_LOCAL_RUN_DIR", missing.toString()), "--target", "local", "status");

    assertThat(exit).isEqualTo(3);
    assertThat(err)
        .contains("environment unreachable")
        .contains(missing.toString())
        .contains("run 'drctl local up' first");
  }

  @Test
  void switchover_exits3_whenTheRecordedSupervisorIsDead() {
    // A state file left by a supervisor that died: PID 1's start time never matches this one.
    new LocalState(
            new OwnedProcess("supervisor", 1, Instant.parse("2000-01-01T00:00:00Z")),
            List.of(),
            Map.of())
        .write(dir);

    drctl(Map.of(), "--target", "local", "--config", config().toString(), "switchover", "--yes");

    assertThat(exit).isEqualTo(3);
    assertThat(err).contains(dir.toString()).contains("run 'drctl local up' first");
  }

  private Path config() {
    Path file = dir.resolve("drctl.properties");
    try {
      java.nio.file.Files.writeString(file, "local.runDir=" + dir + "\n");
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return file;
  }
}
