package io.tradingdr.core.testing;

/**
 * The process dies here. An {@link Error}, so no orchestrator code catches it: whatever was written
 * to the fakes stays, nothing else happens (no journal entry, no lease release).
 */
public final class SimulatedCrash extends Error {

  private static final long serialVersionUID = 1L;

  public SimulatedCrash(String where) {
    super("simulated crash " + where);
  }
}
