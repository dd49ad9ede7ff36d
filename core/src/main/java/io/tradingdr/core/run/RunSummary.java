package io.tradingdr.core.run;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * One run as its journal tells it, for {@code drctl history} and the guards that look back.
 *
 * @param reason the terminal entry's reason, or the latest entry's while in progress
 * @param promotedAt when its promote step completed, if it did
 */
public record RunSummary(
    String runId,
    String kind,
    String trigger,
    String from,
    String to,
    RunOutcome outcome,
    Instant startedAt,
    Optional<Instant> endedAt,
    String reason,
    Optional<Instant> promotedAt,
    List<StepSummary> steps) {

  public RunSummary {
    steps = List.copyOf(steps);
  }

  public Optional<Duration> duration() {
    return endedAt.map(end -> Duration.between(startedAt, end));
  }

  /**
   * One attempt at a step.
   *
   * @param phase the outcome phase ({@code COMPLETED}, {@code FAILED}, {@code REFUSED}), or {@code
   *     STARTED} when the attempt has no outcome (crash)
   */
  public record StepSummary(
      String step, String phase, String reason, Instant startedAt, Optional<Duration> duration) {}
}
