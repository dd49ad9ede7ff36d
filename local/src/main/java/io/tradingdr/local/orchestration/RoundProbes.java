package io.tradingdr.local.orchestration;

import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.region.RegionId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Runs one health round's probes (every observer against every region) at the same time, as
 * independent checkers (Route 53's) do, and hands each result to the health monitor's next call for
 * that observer and region. Without it the monitor probes one after the other, and against a region
 * whose packets are dropped every probe waits its whole timeout: a round then lasts several
 * intervals and detection takes failureThreshold such rounds. A call with nothing prefetched (an
 * orchestrator's own probe of a failback target) probes directly.
 */
public final class RoundProbes {

  private final List<HealthProbe> delegates;
  private final List<RegionId> regions;
  private final Map<String, ProbeResult> prefetched = new ConcurrentHashMap<>();

  public RoundProbes(List<HealthProbe> delegates, List<RegionId> regions) {
    this.delegates = List.copyOf(delegates);
    this.regions = List.copyOf(regions);
  }

  /** The probes for the orchestrator's ports: each answers from the last prefetched round. */
  public List<HealthProbe> probes() {
    List<HealthProbe> probes = new ArrayList<>();
    for (HealthProbe delegate : delegates) {
      probes.add(
          new HealthProbe() {
            @Override
            public String observer() {
              return delegate.observer();
            }

            @Override
            public ProbeResult probe(RegionId region) {
              ProbeResult ready = prefetched.remove(key(delegate.observer(), region));
              return ready != null ? ready : delegate.probe(region);
            }
          });
    }
    return List.copyOf(probes);
  }

  /** Probes every observer against every region concurrently; returns when all have answered. */
  public void prefetch() throws InterruptedException {
    prefetched.clear();
    List<Future<ProbeResult>> pending = new ArrayList<>();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      for (HealthProbe probe : delegates) {
        for (RegionId region : regions) {
          pending.add(executor.submit(() -> probe.probe(region)));
        }
      }
      for (Future<ProbeResult> f : pending) {
        ProbeResult r = f.get();
        prefetched.put(key(r.observer(), r.region()), r);
      }
    } catch (ExecutionException e) {
      // A probe never throws for an unhealthy region; this is a defect in the probe itself.
      throw new IllegalStateException("a health probe failed: " + e.getCause(), e.getCause());
    }
  }

  private static String key(String observer, RegionId region) {
    return observer + '\u0001' + region.value();
  }
}
