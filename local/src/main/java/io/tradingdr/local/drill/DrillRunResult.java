package io.tradingdr.local.drill;

import java.util.List;
import java.util.Map;

/**
 * What one drill run measured and concluded. Times are milliseconds; offsets are from the start of
 * the load, durations ({@code ...Ms}) from the fault. A figure that could not be measured is null.
 *
 * @param rtoMs fault to the first order acknowledged under the new epoch (or, with no epoch change,
 *     the first acknowledged order after the last failure that followed the fault)
 * @param unavailableMs the longest gap between two acknowledged orders (or from the last one to the
 *     last answer of the load) that ends after the fault
 * @param detectMs fault to the start of the orchestrator's run (0 for an operator run)
 * @param fenceMs fault to the old writer fenced (lease revoked and database made read-only)
 * @param promoteMs fault to the standby promoted
 * @param routeMs fault to the DNS record changed
 * @param lost acknowledged orders missing on the new primary
 * @param lostInLedger of those, the ones the RPO ledger lists
 * @param splitBrain orders acknowledged by the old region under an older epoch after the new epoch
 *     was granted
 * @param reconciled of the lost orders, the ones present on the new primary after the drill
 *     replayed the RPO ledger through the service; null when nothing was reconciled
 * @param lag replication lag sampled over the whole load phase
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
    Integer reconciled,
    Lag lag,
    Timeline timeline) {

  public DrillRunResult {
    failures = List.copyOf(failures);
    decisions = List.copyOf(decisions);
  }

  /**
   * Replication lag sampled every {@link #SAMPLE_INTERVAL_MS} ms from the start of the load to its
   * end (before, during and after the fault).
   *
   * @param replayMs the database's replay lag as the orchestrator's lag guard reads it ({@code
   *     ReplicationStatus.lag()}: 0 when the standby has replayed all the writer flushed, else the
   *     writer's {@code pg_stat_replication.replay_lag}, else the writer's clock minus the
   *     standby's last replayed commit, as when its WAL receiver is cut); sampled only while a
   *     writer answers
   * @param replayP99Ms 99th percentile of {@code replayMs}
   * @param writeP99Ms the writer's {@code pg_stat_replication.write_lag} (NULL when caught up and
   *     idle counts as 0), 99th percentile, over the samples where the standby was streaming
   * @param flushP99Ms {@code flush_lag} likewise
   * @param streamReplayP99Ms {@code replay_lag} likewise
   * @param streamSamples how many samples found the standby streaming
   * @param sessionP99Ms the session replicator's lag (apply time minus the item's updatedAt) of the
   *     changes applied during the load, 99th percentile; null when none was applied
   * @param sessionChanges session changes applied during the load
   */
  public record Lag(
      List<Double> replayMs,
      Double replayP99Ms,
      Double writeP99Ms,
      Double flushP99Ms,
      Double streamReplayP99Ms,
      int streamSamples,
      Double sessionP99Ms,
      long sessionChanges) {

    public static final long SAMPLE_INTERVAL_MS = 150;

    public static final Lag NONE = new Lag(List.of(), null, null, null, null, 0, null, 0);

    public Lag {
      replayMs = List.copyOf(replayMs);
    }
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
