package io.tradingdr.core.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class RunStateMachineTest {

  @ParameterizedTest
  @EnumSource(RunTransition.class)
  void everyLegalTransition_isAccepted(RunTransition transition) {
    RunStateMachine machine = new RunStateMachine(transition.from());

    assertThat(machine.moveTo(transition.to())).isEqualTo(transition);
    assertThat(machine.current()).isEqualTo(transition.to());
  }

  @Test
  void illegalTransition_throws_namingThePair() {
    RunStateMachine machine = new RunStateMachine(RunState.GUARDS);

    assertThatThrownBy(() -> machine.moveTo(RunState.PROMOTE))
        .isInstanceOf(IllegalStateException.class)
        .hasMessage("illegal run transition GUARDS -> PROMOTE");
    assertThat(machine.current()).isEqualTo(RunState.GUARDS);
  }

  @Test
  void terminalStates_haveNoWayOut() {
    List<RunState> terminals = List.of(RunState.COMPLETED, RunState.REFUSED, RunState.FAILED);
    assertThat(List.of(RunState.values())).filteredOn(RunState::isTerminal).isEqualTo(terminals);
    for (RunState terminal : terminals) {
      for (RunState next : RunState.values()) {
        assertThat(RunTransition.between(terminal, next)).isEmpty();
      }
    }
  }

  @ParameterizedTest
  @EnumSource(RunKind.class)
  void everyPlan_walksLegalTransitions_andEveryStepMayFail(RunKind kind) {
    RunStateMachine machine = new RunStateMachine();
    for (RunState step : kind.steps()) {
      machine.moveTo(step);
      assertThat(RunTransition.between(step, RunState.FAILED)).isPresent();
    }
    machine.moveTo(RunState.COMPLETED);
  }

  @Test
  void everyTransition_isUsedByAPlanOrAnEnding() {
    List<RunTransition> used = new ArrayList<>();
    for (RunKind kind : RunKind.values()) {
      RunState previous = RunState.NEW;
      for (RunState step : kind.steps()) {
        used.add(RunTransition.require(previous, step));
        used.add(RunTransition.require(step, RunState.FAILED));
        previous = step;
      }
      used.add(RunTransition.require(previous, RunState.COMPLETED));
    }
    used.add(RunTransition.require(RunState.NEW, RunState.REFUSED));
    used.add(RunTransition.require(RunState.GUARDS, RunState.REFUSED));

    assertThat(used).containsAll(List.of(RunTransition.values()));
  }

  @Test
  void stepNames_areTheJournalNames() {
    assertThat(RunState.AWAIT_LEASE_EXPIRY.step()).isEqualTo("await-lease-expiry");
    assertThat(RunState.ofStep("grant-lease")).contains(RunState.GRANT_LEASE);
  }
}
