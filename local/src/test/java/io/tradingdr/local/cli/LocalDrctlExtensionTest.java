package io.tradingdr.local.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.core.spi.DrEnvironment;
import io.tradingdr.core.spi.DrctlContext;
import io.tradingdr.core.spi.DrctlExtension;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class LocalDrctlExtensionTest {

  @TempDir Path dir;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private final DrctlContext context =
      new DrctlContext() {
        @Override
        public PrintWriter out() {
          return new PrintWriter(out, true);
        }

        @Override
        public PrintWriter err() {
          return new PrintWriter(err, true);
        }

        @Override
        public BufferedReader in() {
          return new BufferedReader(new StringReader(""));
        }

        @Override
        public DrEnvironment environment() {
          throw new AssertionError("local up/down/status need no orchestrator environment");
        }

        @Override
        public boolean confirm(String question, boolean assumeYes) {
          return assumeYes;
        }
      };

  private int drctlLocal(String... args) {
    DrctlExtension extension =
        ServiceLoader.load(DrctlExtension.class).stream()
            .map(ServiceLoader.Provider::get)
            .filter(e -> e.name().equals("local"))
            .findFirst()
            .orElseThrow();
    return ((CommandLine) extension.command(context)).execute(args);
  }

  @Test
  void status_saysNothingRuns_andExits3_whenTheRunDirectoryHasNoState() {
    int exit = drctlLocal("status", "--run-dir", dir.toString());

    assertThat(exit).isEqualTo(3);
    assertThat(out.toString()).contains("not running");
  }

  @Test
  void down_stopsNothing_whenNothingRuns() {
    int exit = drctlLocal("down", "--run-dir", dir.toString());

    assertThat(exit).isZero();
    assertThat(out.toString()).contains("nothing to stop");
  }

  @Test
  void up_rejectsSyncTogetherWithAsync_asBadUsage() {
    int exit = drctlLocal("up", "--sync", "--async", "--run-dir", dir.toString());

    assertThat(exit).isEqualTo(2);
  }

  @Test
  void up_explainsHowToBuildTheServiceJar_whenItIsMissing() {
    int exit =
        drctlLocal(
            "up",
            "--run-dir",
            dir.resolve("run").toString(),
            "--service-jar",
            dir.resolve("missing.jar").toString());

    assertThat(exit).isEqualTo(1);
    assertThat(err.toString()).contains("missing.jar").contains("mvn -pl service -am package");
  }
}
