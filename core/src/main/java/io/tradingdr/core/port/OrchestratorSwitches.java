package io.tradingdr.core.port;

import java.util.Optional;

/**
 * Port: operator switches shared by every orchestrator instance (both Lambda twins, drctl), kept in
 * the control store.
 *
 * <p>{@link UnreachableException}: the store did not answer.
 */
public interface OrchestratorSwitches {

  /** Present when automatic failover is paused: who paused it and why. */
  Optional<String> automaticFailoverPausedBecause();

  /** Pauses automatic failover. Idempotent; the latest reason wins. */
  void pauseAutomaticFailover(String reason);

  /** Resumes automatic failover. Idempotent. */
  void resumeAutomaticFailover();
}
