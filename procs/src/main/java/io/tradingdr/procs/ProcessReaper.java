package io.tradingdr.procs;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stops, on JVM shutdown, every supervised process that is still running. Each supervisor registers
 * itself when it starts a process and unregisters when it has stopped it, so only processes this
 * JVM started are ever touched.
 */
final class ProcessReaper {

  /** Something that can stop the processes it started, quickly and without throwing. */
  interface Stoppable {
    void stopOnShutdown();
  }

  private static final Set<Stoppable> LIVE = ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(ProcessReaper::stopAll, "procs-reaper"));
  }

  private ProcessReaper() {}

  static void register(Stoppable stoppable) {
    LIVE.add(stoppable);
  }

  static void unregister(Stoppable stoppable) {
    LIVE.remove(stoppable);
  }

  private static void stopAll() {
    List<Stoppable> snapshot = new ArrayList<>(LIVE);
    for (Stoppable stoppable : snapshot) {
      try {
        stoppable.stopOnShutdown();
      } catch (RuntimeException e) {
        System.err.println("procs: could not stop a supervised process on shutdown: " + e);
      }
    }
  }
}
