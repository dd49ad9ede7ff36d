package io.tradingdr.core.port;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * One line of a run's journal: a step about to run, or its outcome with the decision's reason.
 *
 * @param runId the run this entry belongs to
 * @param sequence 0, 1, 2, ... within the run, no gaps; the journal refuses a second entry at the
 *     same sequence, which is what makes two writers of one run impossible
 * @param step the step's name ({@code run}, {@code lag-guard}, {@code promote}, ...)
 * @param phase whether the step started, completed, failed or was refused
 * @param reason the decision's human-readable reason; a refusal starts with the guard's name
 * @param attributes machine-readable facts (kind, regions, lag, epoch, durations)
 */
public record JournalEntry(
    String runId,
    long sequence,
    Instant at,
    String step,
    Phase phase,
    String reason,
    Map<String, String> attributes) {

  public enum Phase {
    STARTED,
    COMPLETED,
    FAILED,
    REFUSED
  }

  public JournalEntry {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(phase, "phase");
    Objects.requireNonNull(reason, "reason");
    if (sequence < 0) {
      throw new IllegalArgumentException("sequence must be >= 0, was " + sequence);
    }
    attributes = Map.copyOf(attributes);
  }
}
