package io.tradingdr.core.run;

/** How a run ended (or stopped). */
public enum RunOutcome {
  COMPLETED,
  /** A guard refused; nothing was changed. */
  REFUSED,
  /** A step failed; the journal shows which and what is in place. */
  FAILED,
  /**
   * The run lease was lost mid-run; this instance stopped, the run is unfinished and the next lease
   * holder resumes it from the journal.
   */
  INTERRUPTED,
  /** Journal only: the run has no terminal entry yet. */
  IN_PROGRESS
}
