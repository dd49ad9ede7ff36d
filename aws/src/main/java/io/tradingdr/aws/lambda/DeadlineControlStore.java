package io.tradingdr.aws.lambda;

import io.tradingdr.core.config.Durations;
import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.port.ControlStore;
import io.tradingdr.core.port.JournalEntry;
import io.tradingdr.core.port.RunLease;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The control store as one Lambda invocation sees it: it refuses to renew the run lease once less
 * than {@code reserve} of the invocation is left. Core renews the run lease before every step, so
 * the run stops at a step boundary, journals where it stopped ({@code run-lease} REFUSED, "stopped
 * at X, resumable from the journal"), and the next invocation resumes it. Everything else is passed
 * through unchanged.
 */
final class DeadlineControlStore implements ControlStore {

  /** Starts the refusal's reason, so the handler can tell a deadline stop from a lost lease. */
  static final String GUARD = "lambdaDeadline";

  private final ControlStore delegate;
  private final Clock clock;
  private final Instant deadline;
  private final Duration reserve;

  DeadlineControlStore(ControlStore delegate, Clock clock, Instant deadline, Duration reserve) {
    this.delegate = Objects.requireNonNull(delegate, "delegate");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.deadline = Objects.requireNonNull(deadline, "deadline");
    this.reserve = Objects.requireNonNull(reserve, "reserve");
  }

  /** Time left in the invocation. */
  Duration remaining() {
    Duration left = Duration.between(clock.instant(), deadline);
    return left.isNegative() ? Duration.ZERO : left;
  }

  /** True while a step may still start. */
  boolean stepMayStart() {
    return remaining().compareTo(reserve) >= 0;
  }

  @Override
  public RunLease renewRunLease(RunLease lease, Duration ttl) {
    if (!stepMayStart()) {
      throw new ConflictException(
          GUARD
              + ": "
              + Durations.format(remaining())
              + " of this Lambda invocation left, less than the "
              + Durations.format(reserve)
              + " step reserve (TDR_STEP_RESERVE_MS); no further step starts in this invocation");
    }
    return delegate.renewRunLease(lease, ttl);
  }

  @Override
  public Optional<RunLease> currentRunLease() {
    return delegate.currentRunLease();
  }

  @Override
  public RunLease acquireRunLease(String owner, Duration ttl) {
    return delegate.acquireRunLease(owner, ttl);
  }

  @Override
  public void releaseRunLease(RunLease lease) {
    delegate.releaseRunLease(lease);
  }

  @Override
  public WriteLease read() {
    return delegate.read();
  }

  @Override
  public WriteLease renew(RegionId holder, Epoch epoch, Duration ttl) {
    return delegate.renew(holder, epoch, ttl);
  }

  @Override
  public WriteLease revoke(Epoch expected) {
    return delegate.revoke(expected);
  }

  @Override
  public WriteLease grant(RegionId region, Epoch expected, Duration ttl) {
    return delegate.grant(region, expected, ttl);
  }

  @Override
  public void append(JournalEntry entry) {
    delegate.append(entry);
  }

  @Override
  public List<JournalEntry> entries(String runId) {
    return delegate.entries(runId);
  }

  @Override
  public List<String> recentRuns(int limit) {
    return delegate.recentRuns(limit);
  }

  @Override
  public Optional<String> automaticFailoverPausedBecause() {
    return delegate.automaticFailoverPausedBecause();
  }

  @Override
  public void pauseAutomaticFailover(String reason) {
    delegate.pauseAutomaticFailover(reason);
  }

  @Override
  public void resumeAutomaticFailover() {
    delegate.resumeAutomaticFailover();
  }
}
