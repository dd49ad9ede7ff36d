package io.tradingdr.core.run;

import java.util.Objects;

/** A run's current state; moves only along {@link RunTransition}s. Not thread-safe (one run). */
public final class RunStateMachine {

  private RunState current;

  public RunStateMachine() {
    this(RunState.NEW);
  }

  /** Restores a machine at {@code state}, for a run resumed from its journal. */
  public RunStateMachine(RunState state) {
    this.current = Objects.requireNonNull(state, "state");
  }

  public RunState current() {
    return current;
  }

  /** Moves to {@code next}; IllegalStateException naming the pair when that is not legal. */
  public RunTransition moveTo(RunState next) {
    RunTransition transition = RunTransition.require(current, next);
    current = next;
    return transition;
  }
}
