package io.tradingdr.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.Stack;

/** Stacks deploy in one direction: control, standby base, primary, standby, peering, global. */
class DeployOrderTest {

  @Test
  void everyDependency_pointsToAStackEarlierInTheDeployOrder() {
    Synth synth = Synth.of("active-passive");
    List<Stack> order = Stacks.all(synth.stacks);
    for (Stack stack : order) {
      synth.template(stack);
      for (Stack dependency : stack.getDependencies()) {
        assertThat(order.indexOf(dependency))
            .as("%s depends on %s", stack.getStackName(), dependency.getStackName())
            .isLessThan(order.indexOf(stack));
      }
    }
    assertThat(synth.stacks.primary().getDependencies())
        .contains(synth.stacks.standbyBase(), synth.stacks.control());
    assertThat(synth.stacks.standby().getDependencies()).contains(synth.stacks.primary());
    assertThat(synth.stacks.peeringRoutes().getDependencies()).contains(synth.stacks.standby());
    assertThat(synth.stacks.global().getDependencies()).contains(synth.stacks.standby());
  }
}
