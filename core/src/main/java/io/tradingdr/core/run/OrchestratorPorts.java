package io.tradingdr.core.run;

import io.tradingdr.core.port.CapacityManager;
import io.tradingdr.core.port.ControlStore;
import io.tradingdr.core.port.DatabaseReplication;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.Notifier;
import io.tradingdr.core.port.TrafficRouter;
import io.tradingdr.core.region.RegionTopology;
import io.tradingdr.core.rpo.OrderLedgerSource;
import io.tradingdr.core.rpo.RpoLedgerStore;
import java.util.List;
import java.util.Objects;

/** Everything the orchestrator talks to, for one deployment (AWS, local regions, or fakes). */
public record OrchestratorPorts(
    RegionTopology topology,
    DatabaseReplication replication,
    TrafficRouter router,
    CapacityManager capacity,
    Notifier notifier,
    ControlStore control,
    List<HealthProbe> probes,
    OrderLedgerSource orderLedger,
    RpoLedgerStore rpoLedgers) {

  public OrchestratorPorts {
    Objects.requireNonNull(topology, "topology");
    Objects.requireNonNull(replication, "replication");
    Objects.requireNonNull(router, "router");
    Objects.requireNonNull(capacity, "capacity");
    Objects.requireNonNull(notifier, "notifier");
    Objects.requireNonNull(control, "control");
    Objects.requireNonNull(orderLedger, "orderLedger");
    Objects.requireNonNull(rpoLedgers, "rpoLedgers");
    probes = List.copyOf(probes);
  }
}
