package io.tradingdr.core.testing;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.region.RegionTopology;
import io.tradingdr.core.run.Orchestrator;
import io.tradingdr.core.run.OrchestratorPorts;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Two healthy regions wired to every fake: {@code region-a} writes (lease granted at epoch 1,
 * traffic, capacity 2), {@code region-b} replays (capacity 1). Build orchestrators on top with
 * {@link #orchestrator(String)}.
 */
public final class FakeRegions {

  public static final RegionId A = RegionId.of("region-a");
  public static final RegionId B = RegionId.of("region-b");

  public final MutableClock clock = MutableClock.start();
  public final RegionTopology topology = new RegionTopology(A, B);
  public final FakeControlStore control = new FakeControlStore(clock);
  public final FakeDatabaseReplication replication = new FakeDatabaseReplication(clock, A, B);
  public final FakeTrafficRouter router = new FakeTrafficRouter(A, B);
  public final FakeCapacityManager capacity = new FakeCapacityManager(Map.of(A, 2, B, 1));
  public final FakeNotifier notifier = new FakeNotifier();
  public final FakeHealthProbe entryPoint =
      new FakeHealthProbe(OrchestratorConfig.ENTRY_POINT_OBSERVER, clock);
  public final FakeHealthProbe standbySide =
      new FakeHealthProbe(OrchestratorConfig.STANDBY_SIDE_OBSERVER, clock);
  public final FakeOrderLedger orders = new FakeOrderLedger(clock);
  public final FakeRpoLedgerStore ledgers = new FakeRpoLedgerStore();
  public OrchestratorConfig config = OrchestratorConfig.defaults();

  public FakeRegions() {
    control.grant(A, control.read().epoch(), Duration.ofSeconds(10));
  }

  public OrchestratorPorts ports() {
    return new OrchestratorPorts(
        topology,
        replication,
        router,
        capacity,
        notifier,
        control,
        List.of(entryPoint, standbySide),
        orders,
        ledgers);
  }

  public Orchestrator orchestrator(String owner) {
    return new Orchestrator(config, ports(), clock, clock, owner);
  }

  /** The writer region goes dark: its database, and every observer's probe of it. */
  public void regionDown(RegionId region) {
    replication.unreachable(region, true);
    entryPoint.healthy(region, false);
    standbySide.healthy(region, false);
  }

  public void regionUp(RegionId region) {
    replication.unreachable(region, false);
    entryPoint.healthy(region, true);
    standbySide.healthy(region, true);
  }
}
