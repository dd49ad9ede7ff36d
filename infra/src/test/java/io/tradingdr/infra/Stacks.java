package io.tradingdr.infra;

import java.util.ArrayList;
import java.util.List;
import software.amazon.awscdk.Stack;

/** The stacks of a synthesis that exist in its profile. */
final class Stacks {
  private Stacks() {}

  static List<Stack> all(TradingDrApp.Stacks stacks) {
    List<Stack> all = new ArrayList<>();
    for (Stack stack :
        new Stack[] {
          stacks.control(),
          stacks.standbyBase(),
          stacks.primary(),
          stacks.standby(),
          stacks.peeringRoutes(),
          stacks.global()
        }) {
      if (stack != null) {
        all.add(stack);
      }
    }
    return all;
  }
}
