package io.tradingdr.local.regions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.local.db.PostgresStreamingReplication;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalRegionsTest {

  @TempDir Path dir;

  @Test
  void up_stopsEverythingItStarted_whenAPartFailsHalfway() throws Exception {
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path brokenJar = Files.writeString(dir.resolve("not-a-service.jar"), "not a jar");
    LocalRegionsSettings settings =
        new LocalRegionsSettings(
            dir.resolve("run"),
            PostgresStreamingReplication.Mode.ASYNC,
            brokenJar,
            Duration.ofSeconds(1),
            LocalRegionsSettings.DEFAULT_ZONE,
            LocalRegionsSettings.DEFAULT_SERVICE_HOST,
            LocalRegionsSettings.DEFAULT_SESSIONS_TABLE,
            Duration.ofSeconds(60),
            LocalTopology.standard());
    StringWriter progress = new StringWriter();

    assertThatThrownBy(() -> LocalRegions.up(settings, new PrintWriter(progress, true)))
        .hasMessageContaining("service-region-a");

    List<ProcessHandle> leftovers =
        ProcessHandle.current().descendants().filter(ProcessHandle::isAlive).toList();
    assertThat(leftovers).as("processes left running").isEmpty();
    assertThat(LocalState.read(settings.runDir())).isEmpty();
    assertThat(progress.toString())
        .contains("starting knot DNS server")
        .contains("start failed, stopping what was started")
        .contains("local regions stopped");
  }

  @Test
  void up_refusesAMissingServiceJar_sayingHowToBuildIt() {
    LocalRegionsSettings settings =
        LocalRegionsSettings.of(
            dir.resolve("run"), PostgresStreamingReplication.Mode.SYNC, dir.resolve("missing.jar"));

    assertThatThrownBy(() -> LocalRegions.up(settings, new PrintWriter(System.out, true)))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("missing.jar")
        .hasMessageContaining("mvn -pl service -am package");
  }
}
