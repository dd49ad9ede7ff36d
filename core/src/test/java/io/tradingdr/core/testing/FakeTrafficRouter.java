package io.tradingdr.core.testing;

import io.tradingdr.core.port.RouteMode;
import io.tradingdr.core.port.RoutingState;
import io.tradingdr.core.port.TrafficRouter;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Weighted 100/0 routing between two regions; records every change and its mode. */
public final class FakeTrafficRouter implements TrafficRouter {

  private final RegionId a;
  private final RegionId b;
  private RegionId active;
  private boolean unreachable;
  private final List<String> changes = new ArrayList<>();
  private Runnable duringNextRoute = () -> {};

  public FakeTrafficRouter(RegionId active, RegionId other) {
    this.a = active;
    this.b = other;
    this.active = active;
  }

  @Override
  public synchronized RoutingState current() {
    if (unreachable) {
      throw new UnreachableException("routing control plane does not answer");
    }
    return new RoutingState(
        Map.of(a, a.equals(active) ? 100 : 0, b, b.equals(active) ? 100 : 0),
        Optional.of(active),
        "weighted " + active + "=100");
  }

  @Override
  public void routeTo(RegionId region, RouteMode mode, Duration timeout) {
    Runnable hook;
    synchronized (this) {
      if (unreachable) {
        throw new UnreachableException("routing control plane does not answer");
      }
      changes.add(region + " " + mode);
      active = region;
      hook = duringNextRoute;
      duringNextRoute = () -> {};
    }
    hook.run();
  }

  public synchronized void unreachable(boolean value) {
    unreachable = value;
  }

  /** Runs once inside the next routeTo, after the change (a long step during which time passes). */
  public synchronized void duringNextRoute(Runnable hook) {
    duringNextRoute = hook;
  }

  public synchronized RegionId active() {
    return active;
  }

  public synchronized List<String> changes() {
    return List.copyOf(changes);
  }
}
