package io.tradingdr.local.regions;

import io.tradingdr.local.regions.LocalState.OwnedProcess;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * {@code status} and {@code down} for local regions run by a supervisor in another process: they
 * read the run directory's state file and act only on the processes it lists, each checked by PID
 * and start time.
 */
public final class LocalRegionsControl {

  private LocalRegionsControl() {}

  /** Prints what runs; returns true when every recorded process is alive. */
  public static boolean status(Path runDir, PrintWriter out) {
    Optional<LocalState> state = LocalState.read(runDir);
    if (state.isEmpty()) {
      out.println("local regions: not running (no state file in " + runDir + ")");
      return false;
    }
    LocalState s = state.get();
    boolean supervisorAlive = s.supervisor().live().isPresent();
    out.printf(
        "local regions in %s: supervisor PID %d %s%n",
        runDir, s.supervisor().pid(), supervisorAlive ? "running" : "GONE");
    boolean all = supervisorAlive;
    for (OwnedProcess p : s.processes()) {
      boolean alive = p.live().isPresent();
      all &= alive;
      out.printf("  %-28s PID %-8d %s%n", p.name(), p.pid(), alive ? "running" : "stopped");
    }
    new java.util.TreeMap<>(s.endpoints())
        .forEach((name, endpoint) -> out.printf("  %-28s %s%n", name, endpoint));
    return all;
  }

  /**
   * Asks the supervisor to stop everything (SIGTERM; it stops its children by PID), waits up to
   * {@code grace}, then stops whatever recorded process is left. Returns false when nothing ran.
   */
  public static boolean down(Path runDir, Duration grace, PrintWriter out) {
    Optional<LocalState> state = LocalState.read(runDir);
    if (state.isEmpty()) {
      out.println("local regions: nothing to stop (no state file in " + runDir + ")");
      return false;
    }
    LocalState s = state.get();
    s.supervisor()
        .live()
        .ifPresent(
            supervisor -> {
              out.println("stopping supervisor PID " + supervisor.pid());
              supervisor.destroy();
              if (!await(supervisor, grace)) {
                out.println("supervisor did not stop within " + grace + ", killing it");
                supervisor.destroyForcibly();
                await(supervisor, Duration.ofSeconds(5));
              }
            });
    stopLeftovers(s, out);
    LocalState.delete(runDir);
    out.println("local regions stopped");
    return true;
  }

  /** Stops every recorded process that is still ours, the last started first. */
  static void stopLeftovers(LocalState state, PrintWriter out) {
    List<OwnedProcess> processes = state.processes().reversed();
    for (OwnedProcess p : processes) {
      p.live()
          .ifPresent(
              handle -> {
                out.println("stopping leftover " + p.name() + " (PID " + p.pid() + ")");
                List<ProcessHandle> children = handle.descendants().toList();
                terminate(p, handle);
                if (!await(handle, Duration.ofSeconds(10))) {
                  handle.destroyForcibly();
                  await(handle, Duration.ofSeconds(5));
                }
                children.stream()
                    .filter(ProcessHandle::isAlive)
                    .forEach(ProcessHandle::destroyForcibly);
              });
    }
  }

  /** SIGTERM; for a postmaster SIGINT, PostgreSQL's fast shutdown (SIGTERM waits for clients). */
  private static void terminate(OwnedProcess p, ProcessHandle handle) {
    if (!p.name().startsWith("postgres")) {
      handle.destroy();
      return;
    }
    try {
      new ProcessBuilder("kill", "-s", "INT", Long.toString(handle.pid())).start().waitFor();
    } catch (java.io.IOException e) {
      handle.destroy();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean await(ProcessHandle process, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (process.isAlive() && System.nanoTime() < deadline) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return !process.isAlive();
      }
    }
    return !process.isAlive();
  }
}
