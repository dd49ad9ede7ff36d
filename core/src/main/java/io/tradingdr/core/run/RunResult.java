package io.tradingdr.core.run;

import io.tradingdr.core.decision.Decision;
import java.util.List;
import java.util.Objects;

/**
 * What a run did.
 *
 * @param from the writer before the run, empty text when the run stopped before knowing it
 * @param resumed true when this call resumed an unfinished run from its journal
 */
public record RunResult(
    String runId,
    RunKind kind,
    RunOutcome outcome,
    String from,
    String to,
    String reason,
    List<Decision> decisions,
    boolean resumed) {

  public RunResult {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(outcome, "outcome");
    Objects.requireNonNull(reason, "reason");
    decisions = List.copyOf(decisions);
  }
}
