package io.tradingdr.core.run;

import io.tradingdr.core.detect.DetectionVerdict;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One round of detection every {@code healthCheckInterval}: every observer probes every region, the
 * detector judges the writer, and an agreed verdict that the writer is down asks the orchestrator
 * for an automatic failover (whose guards still decide).
 */
public final class HealthMonitor {

  private static final Logger LOG = LoggerFactory.getLogger(HealthMonitor.class);

  private final Orchestrator orchestrator;
  private final String requestedBy;
  private RegionId lastAttemptFor;
  private Instant lastAttemptAt;

  public HealthMonitor(Orchestrator orchestrator, String requestedBy) {
    this.orchestrator = orchestrator;
    this.requestedBy = requestedBy;
  }

  /**
   * What one round saw and did.
   *
   * @param writer the region that held the write lease, when known
   * @param verdicts one per region
   * @param failover the failover run this round started, if any
   */
  public record Tick(
      Optional<RegionId> writer, List<DetectionVerdict> verdicts, Optional<RunResult> failover) {}

  public synchronized Tick tick() {
    OrchestratorPorts ports = orchestrator.ports();
    for (RegionId region : ports.topology().regions()) {
      for (HealthProbe probe : ports.probes()) {
        orchestrator.detector().record(probe.probe(region));
      }
    }
    List<DetectionVerdict> verdicts = new ArrayList<>();
    for (RegionId region : ports.topology().regions()) {
      verdicts.add(orchestrator.detector().assess(region));
    }
    try {
      // Remembers the writer's position while it is visible, for a later failover's record.
      orchestrator.observeReplication();
    } catch (RuntimeException e) {
      LOG.warn("health monitor: replication status unavailable: {}", e.getMessage());
    }
    Optional<RegionId> writer;
    try {
      writer = ports.control().read().holder();
    } catch (UnreachableException e) {
      LOG.warn(
          "health monitor: control store unreachable, no failover decision: {}", e.getMessage());
      return new Tick(Optional.empty(), verdicts, Optional.empty());
    }
    Optional<DetectionVerdict> writerDown =
        writer.flatMap(
            w -> verdicts.stream().filter(v -> v.region().equals(w) && v.isDown()).findFirst());
    if (writerDown.isEmpty()) {
      return new Tick(writer, verdicts, Optional.empty());
    }
    DetectionVerdict down = writerDown.get();
    Duration retryAfter =
        orchestrator
            .config()
            .healthCheckInterval()
            .multipliedBy(orchestrator.config().failureThreshold());
    if (down.region().equals(lastAttemptFor)
        && down.at().isBefore(lastAttemptAt.plus(retryAfter))) {
      return new Tick(writer, verdicts, Optional.empty());
    }
    lastAttemptFor = down.region();
    lastAttemptAt = down.at();
    LOG.warn("health monitor: {}", down.reason());
    RunResult result =
        orchestrator.run(RunRequest.automaticFailover(writerDown.get(), requestedBy));
    return new Tick(writer, verdicts, Optional.of(result));
  }
}
