package io.tradingdr.core.run;

import io.tradingdr.core.decision.Decision;
import java.util.List;

/**
 * A dry run: what a run would do now and what each guard says. Taking it changes nothing.
 *
 * @param guards every guard's decision, the run lease first
 * @param steps each step the run would take, with what it would do
 */
public record RunPlan(
    RunKind kind, String from, String to, List<Decision> guards, List<PlannedStep> steps) {

  public RunPlan {
    guards = List.copyOf(guards);
    steps = List.copyOf(steps);
  }

  /** True when no guard refuses. */
  public boolean wouldProceed() {
    return guards.stream().allMatch(Decision::allowsNext);
  }

  /** One step of the plan: its journal name and what it would do. */
  public record PlannedStep(String step, String action) {}
}
