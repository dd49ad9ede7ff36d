package io.tradingdr.local.regions;

import io.tradingdr.local.regions.LocalState.OwnedProcess;
import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * A hold on the supervisor's automatic failover, taken by another process that runs its own
 * orchestrators on the regions (the drill): while the file {@code monitor.hold} in the run
 * directory names a live process, the supervisor's monitor skips its rounds. The hold is released
 * by {@link #close()}, and lapses by itself when its holder dies (checked by PID and start time),
 * so a crashed drill does not leave the regions without automatic failover.
 */
public final class SupervisorMonitorHold implements AutoCloseable {

  static final String FILE_NAME = "monitor.hold";

  private final Path file;
  private final OwnedProcess holder;

  private SupervisorMonitorHold(Path file, OwnedProcess holder) {
    this.file = file;
    this.holder = holder;
  }

  /**
   * Holds the supervisor's monitor of {@code runDir} for this process.
   *
   * @throws IllegalStateException another live process holds it
   */
  public static SupervisorMonitorHold take(Path runDir, String reason) {
    heldBy(runDir)
        .ifPresent(
            other -> {
              throw new IllegalStateException(
                  "the supervisor's automatic failover in "
                      + runDir
                      + " is already held by "
                      + other);
            });
    OwnedProcess me = OwnedProcess.of(reason, ProcessHandle.current());
    Properties p = new Properties();
    p.setProperty("reason", reason);
    p.setProperty("pid", Long.toString(me.pid()));
    p.setProperty("startedAt", me.startedAt().toString());
    Path file = runDir.resolve(FILE_NAME);
    Path tmp = runDir.resolve(FILE_NAME + "." + me.pid() + ".tmp");
    try {
      try (Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(out, "the supervisor's monitor skips its rounds while this process lives");
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
    return new SupervisorMonitorHold(file, me);
  }

  /** Who holds the monitor of {@code runDir} ("drill, PID 123"), if a live process does. */
  public static Optional<String> heldBy(Path runDir) {
    Path file = runDir.resolve(FILE_NAME);
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(in);
      OwnedProcess holder =
          new OwnedProcess(
              p.getProperty("reason", "?"),
              Long.parseLong(p.getProperty("pid")),
              Instant.parse(p.getProperty("startedAt")));
      return holder.live().map(h -> holder.name() + ", PID " + holder.pid());
    } catch (IOException | RuntimeException e) {
      // Removed while being read, or damaged: no live holder can be named, so nobody holds it.
      return Optional.empty();
    }
  }

  /** Releases the hold, if this process still has it. Idempotent. */
  @Override
  public void close() {
    try {
      Properties p = new Properties();
      try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
        p.load(in);
      }
      if (Long.toString(holder.pid()).equals(p.getProperty("pid"))) {
        Files.deleteIfExists(file);
      }
    } catch (IOException e) {
      // Already gone.
    }
  }
}
