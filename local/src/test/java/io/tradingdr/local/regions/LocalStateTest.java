package io.tradingdr.local.regions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.local.regions.LocalState.OwnedProcess;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalStateTest {

  @TempDir Path dir;

  private static final OwnedProcess ME = OwnedProcess.of("supervisor", ProcessHandle.current());

  @Test
  void update_keepsEveryWritersEntry_whenManyWriteAtOnce() {
    new LocalState(ME, List.of(), Map.of(), Map.of("mode", "SYNC")).write(dir);
    List<CompletableFuture<Void>> writers = new ArrayList<>();

    IntStream.range(0, 20)
        .forEach(
            i ->
                writers.add(
                    CompletableFuture.runAsync(
                        () ->
                            LocalState.update(
                                dir,
                                s ->
                                    s.orElseThrow()
                                        .withProcess(
                                            new OwnedProcess("p" + i, 1000 + i, Instant.EPOCH))))));
    writers.forEach(CompletableFuture::join);

    LocalState state = LocalState.read(dir).orElseThrow();
    assertThat(state.processes()).hasSize(20);
    assertThat(state.settings()).containsEntry("mode", "SYNC");
    try (var files = Files.list(dir)) {
      assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void withProcess_replacesTheEarlierEntryOfTheSameName() {
    LocalState state =
        new LocalState(
                ME, List.of(new OwnedProcess("postgres-region-a", 1, Instant.EPOCH)), Map.of())
            .withProcess(new OwnedProcess("postgres-region-a", 2, Instant.EPOCH));

    assertThat(state.processes()).extracting(OwnedProcess::pid).containsExactly(2L);
  }

  @Test
  void attach_isUnreachable_namingTheRunDirectory_whenNoSupervisorRuns() {
    assertThatThrownBy(() -> LocalRegions.attach(dir, new PrintWriter(new StringWriter())))
        .isInstanceOf(UnreachableException.class)
        .hasMessageContaining(dir.toString())
        .hasMessageContaining("run 'drctl local up' first");
  }

  @Test
  void monitorHold_namesItsLiveHolder_andIsGoneOnceReleased() {
    SupervisorMonitorHold hold = SupervisorMonitorHold.take(dir, "drill");
    assertThat(SupervisorMonitorHold.heldBy(dir))
        .hasValue("drill, PID " + ProcessHandle.current().pid());
    assertThatThrownBy(() -> SupervisorMonitorHold.take(dir, "drill"))
        .hasMessageContaining("already held by drill");

    hold.close();

    assertThat(SupervisorMonitorHold.heldBy(dir)).isEmpty();
  }

  @Test
  void monitorHold_lapses_whenItsHolderIsDead() throws Exception {
    Files.writeString(
        dir.resolve(SupervisorMonitorHold.FILE_NAME),
        "reason=drill\npid=1\nstartedAt=2000-01-01T00\\:00\\:00Z\n");

    assertThat(SupervisorMonitorHold.heldBy(dir)).isEmpty();
  }
}
