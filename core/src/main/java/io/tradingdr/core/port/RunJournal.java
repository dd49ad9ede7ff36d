package io.tradingdr.core.port;

import java.util.List;

/**
 * Port: the durable journal of orchestrator runs, in the control store.
 *
 * <p>{@link UnreachableException}: the store did not answer (outcome unknown: read the run's
 * entries before appending again); {@link ConflictException}: a different entry already stands at
 * that sequence.
 */
public interface RunJournal {

  /**
   * Appends {@code entry} at its sequence. Atomic and idempotent: appending an entry equal to the
   * stored one succeeds; a different entry at the same sequence is a {@link ConflictException}.
   */
  void append(JournalEntry entry);

  /** The run's entries in sequence order (strongly consistent). Empty for an unknown run. */
  List<JournalEntry> entries(String runId);

  /** Run ids, most recently started first, at most {@code limit}. */
  List<String> recentRuns(int limit);
}
