package io.tradingdr.core.run;

/** Who asked for a run. Some guards apply to automatic runs only. */
public enum Trigger {
  /** A person, through drctl or an explicit invocation. */
  OPERATOR,
  /** Detection (the health monitor, a composite alarm). */
  AUTOMATIC
}
