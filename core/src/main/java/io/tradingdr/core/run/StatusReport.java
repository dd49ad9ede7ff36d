package io.tradingdr.core.run;

import io.tradingdr.core.region.RegionRole;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What {@code drctl status} shows: each region, replication, the write lease, the switches, the
 * last run. A part that could not be read is listed in {@code problems} ({@code "replication:
 * unreachable: ..."}) and left empty.
 */
public record StatusReport(
    Instant at,
    List<RegionStatus> regions,
    Optional<Duration> replicationLag,
    boolean synchronousReplication,
    String writeLease,
    String automaticFailover,
    Optional<RunSummary> lastRun,
    List<String> problems) {

  public StatusReport {
    regions = List.copyOf(regions);
    problems = List.copyOf(problems);
  }

  /**
   * One region.
   *
   * @param health each observer's fresh probe: {@code up (200 in 12ms)} or {@code down (...)}
   * @param routingWeight share of traffic 0-100, empty when routing could not be read
   * @param writeEpoch the write lease's epoch when this region holds it, else the current epoch
   * @param watermark the region's replication position label, when known
   */
  public record RegionStatus(
      String region,
      RegionRole role,
      Map<String, String> health,
      Optional<Integer> routingWeight,
      long writeEpoch,
      boolean holdsWriteLease,
      Optional<String> watermark) {

    public RegionStatus {
      health = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(health));
    }
  }
}
