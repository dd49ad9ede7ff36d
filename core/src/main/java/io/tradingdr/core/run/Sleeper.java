package io.tradingdr.core.run;

import java.time.Duration;

/** Waits. Tests pass one that advances their controllable clock instead of sleeping. */
@FunctionalInterface
public interface Sleeper {

  void sleep(Duration duration) throws InterruptedException;

  /** Sleeps on the current thread. */
  static Sleeper threadSleep() {
    return d -> Thread.sleep(d.toMillis());
  }
}
