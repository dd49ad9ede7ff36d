package io.tradingdr.local.drill;

import java.util.List;
import java.util.Map;

/**
 * What one drill run measured and concluded. Times are milliseconds; offsets are from the start of
 * the load, durations ({@code ...Ms}) from the fault. A figure that could not be measured is null.
 *
 * @param rtoMs fault to the first order acknowledged under the new epoch (or, with no epoch change,
 *     the first acknowledged order after the last failure that followed the fault)
 * @param unavailableMs the longest gap between two acknowledged orders that ends after the fault
 * @param detectMs fault to the start of the orchestrator's run (0 for an operator run)
 * @param fenceMs fault to the old writer fenced (lease revoked and database made read-only)
 * @param promoteMs fault to the standby promoted
 * @param routeMs fault to the DNS record changed
 * @param lost acknowledged orders missing on the new primary
 * @param lostInLedger of those, the ones the RPO ledger lists
 * @param splitBrain orders acknowledged by the old region under an older epoch after the new epoch
 *     was granted
 * @param lagP99Ms replication lag under load before the fault, 99th percentile
 * @param failures why the run failed; empty when it passed
 * @param decisions the orchestrator runs' decisions, with their reasons, in order
 */
public record DrillRunResult(
    String scenario,
    int run,
    String mode,
    boolean passed,
    List<String> failures,
    List<String> decisions,
    Double rtoMs,
    Double unavailableMs,
    Double detectMs,
    Double fenceMs,
    Double promoteMs,
    Double routeMs,
    int sent,
    int acknowledged,
    int lost,
    int lostInLedger,
    int splitBrain,
    Double lagP99Ms,
    Timeline timeline) {

  public DrillRunResult {
    failures = List.copyOf(failures);
    decisions = List.copyOf(decisions);
  }

  /**
   * Requests per 100 ms bucket and the markers of the run, for the report's chart.
   *
   * @param buckets one per 100 ms from the start of the load
   * @param markers name to offset in ms (fault, detection, fence, promotion, routing, first write)
   */
  public record Timeline(List<Bucket> buckets, Map<String, Double> markers) {
    public Timeline {
      buckets = List.copyOf(buckets);
      markers = Map.copyOf(markers);
    }
  }

  /**
   * @param atMs the bucket's start, from the start of the load
   * @param ok acknowledged orders sent in the bucket
   * @param failed orders sent in the bucket and not acknowledged
   * @param latencyMs mean latency of the bucket's requests, null when none
   */
  public record Bucket(long atMs, int ok, int failed, Double latencyMs) {}
}
