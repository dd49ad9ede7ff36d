package io.tradingdr.core.decision;

/** The outcome of one orchestrator step or guard. */
public enum Verdict {
  /** The guard passed, or the step did its work. */
  PROCEED,
  /** The step's effect was already in place (observed, not assumed) and nothing was done again. */
  ALREADY_DONE,
  /** A guard refused; the reason starts with the guard's name. Nothing was changed by this step. */
  REFUSED,
  /** The step was tried and did not succeed (timeout, unreachable, refused by the target). */
  FAILED;

  /** True when the run may go on to its next step. */
  public boolean allowsNext() {
    return this == PROCEED || this == ALREADY_DONE;
  }
}
