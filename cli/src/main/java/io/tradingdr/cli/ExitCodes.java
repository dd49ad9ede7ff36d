package io.tradingdr.cli;

/** drctl's exit codes, listed in its usage. */
public final class ExitCodes {

  /** The command did what was asked. */
  public static final int OK = 0;

  /** A guard refused, a step failed, or a reconcile left orders unreconciled. */
  public static final int REFUSED_OR_FAILED = 1;

  /** Wrong arguments or configuration; nothing was done. */
  public static final int USAGE = 2;

  /** The target (control store, database, routing...) could not be reached. */
  public static final int UNREACHABLE = 3;

  /** The operator did not confirm; nothing was changed. */
  public static final int ABORTED = 4;

  /** The run lost its lease mid-run and stopped; the next orchestrator resumes it. */
  public static final int INTERRUPTED = 5;

  private ExitCodes() {}
}
