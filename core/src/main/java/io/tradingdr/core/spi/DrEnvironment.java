package io.tradingdr.core.spi;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.rpo.OrderReconciliation;
import io.tradingdr.core.run.OrchestratorPorts;
import io.tradingdr.core.run.Sleeper;
import java.time.Clock;

/** An opened target: its ports and settings. Closed by drctl when the command ends. */
public interface DrEnvironment extends AutoCloseable {

  OrchestratorConfig config();

  OrchestratorPorts ports();

  /** The write path {@code drctl reconcile} replays or cancels lost orders through. */
  OrderReconciliation reconciliation();

  /** The composition root's clock; the system clock unless a test says otherwise. */
  default Clock clock() {
    return Clock.systemUTC();
  }

  default Sleeper sleeper() {
    return Sleeper.threadSleep();
  }

  /** Releases clients and connections. */
  @Override
  default void close() {}
}
