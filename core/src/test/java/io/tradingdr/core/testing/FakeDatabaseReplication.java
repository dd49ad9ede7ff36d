package io.tradingdr.core.testing;

import io.tradingdr.core.port.DatabaseReplication;
import io.tradingdr.core.port.PromotionMode;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.port.Watermark;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Two databases, one writer and one standby, with positions as plain numbers. Counts effective
 * promotions (a writer change) separately from promote calls, so a double promotion is visible.
 */
public final class FakeDatabaseReplication implements DatabaseReplication {

  private final Clock clock;
  private Optional<RegionId> writer;
  private RegionId standby;
  private long writerPosition = 1000;
  private long standbyPosition = 1000;
  private Instant writerCommitAt;
  private Instant standbyCommitAt;
  private Duration lag = Duration.ofMillis(20);
  private Optional<Duration> lagWhenWriterDown = Optional.empty();
  private boolean synchronous;
  private final Set<RegionId> unreachable = new HashSet<>();
  private boolean standbyDetached;
  private final Set<RegionId> fenced = new HashSet<>();
  private final List<String> calls = new ArrayList<>();
  private int promotions;
  private RuntimeException failNextPromote;
  private Runnable afterPromote = () -> {};

  public FakeDatabaseReplication(Clock clock, RegionId writer, RegionId standby) {
    this.clock = clock;
    this.writer = Optional.of(writer);
    this.standby = standby;
    this.writerCommitAt = clock.instant();
    this.standbyCommitAt = clock.instant();
  }

  @Override
  public synchronized ReplicationStatus status() {
    calls.add("status");
    Optional<RegionId> visibleWriter = writer.filter(w -> !unreachable.contains(w));
    boolean standbyUp = !unreachable.contains(standby) && !standbyDetached;
    Optional<Duration> shownLag =
        visibleWriter.isPresent() && standbyUp
            ? Optional.of(lag)
            : standbyUp ? lagWhenWriterDown : Optional.empty();
    return new ReplicationStatus(
        visibleWriter,
        standby,
        shownLag,
        visibleWriter.map(w -> watermark(writerPosition, writerCommitAt)),
        standbyUp ? Optional.of(watermark(standbyPosition, standbyCommitAt)) : Optional.empty(),
        synchronous);
  }

  private static Watermark watermark(long position, Instant at) {
    return new Watermark(
        position, "0/" + Long.toHexString(position).toUpperCase(java.util.Locale.ROOT), at);
  }

  @Override
  public synchronized void fenceWriter(RegionId region) {
    calls.add("fenceWriter " + region);
    reachable(region);
    fenced.add(region);
  }

  @Override
  public synchronized Watermark awaitCaughtUp(RegionId region, Duration timeout) {
    calls.add("awaitCaughtUp " + region);
    reachable(region);
    standbyPosition = writerPosition;
    standbyCommitAt = writerCommitAt;
    lag = Duration.ZERO;
    return watermark(standbyPosition, standbyCommitAt);
  }

  @Override
  public void promote(RegionId region, PromotionMode mode, Duration timeout) {
    Runnable hook;
    synchronized (this) {
      calls.add("promote " + region + " " + mode);
      if (writer.filter(region::equals).isPresent()) {
        return;
      }
      reachable(region);
      if (failNextPromote != null) {
        RuntimeException e = failNextPromote;
        failNextPromote = null;
        throw e;
      }
      if (!standby.equals(region)) {
        throw new RefusedException(region + " is not the standby");
      }
      RegionId old = writer.orElse(null);
      writer = Optional.of(region);
      standby = old == null ? standby : old;
      // A planned switchover turns the old writer into a streaming standby; an unplanned promotion
      // leaves it detached (diverged) until it is rejoined.
      standbyDetached = mode == PromotionMode.ALLOW_DATA_LOSS;
      writerPosition = standbyPosition;
      writerCommitAt = standbyCommitAt;
      promotions++;
      hook = afterPromote;
      afterPromote = () -> {};
    }
    hook.run();
  }

  @Override
  public synchronized void rejoinAsStandby(
      RegionId oldWriter, RegionId newWriter, Duration timeout) {
    calls.add("rejoin " + oldWriter + " -> " + newWriter);
    reachable(oldWriter);
    if (writer.filter(newWriter::equals).isEmpty()) {
      throw new RefusedException(newWriter + " is not the writer");
    }
    standby = oldWriter;
    standbyDetached = false;
    fenced.remove(oldWriter);
    standbyPosition = writerPosition;
    standbyCommitAt = writerCommitAt;
    lag = Duration.ofMillis(5);
  }

  private void reachable(RegionId region) {
    if (unreachable.contains(region)) {
      throw new UnreachableException("database in " + region + " does not answer");
    }
  }

  // test controls ---------------------------------------------------------------------------------

  /** The writer commits {@code n} more positions; the standby replays none of them yet. */
  public synchronized void commit(long n) {
    writerPosition += n;
    writerCommitAt = clock.instant();
  }

  /** The standby replays everything the writer has. */
  public synchronized void replayAll() {
    standbyPosition = writerPosition;
    standbyCommitAt = writerCommitAt;
  }

  public synchronized void lag(Duration value) {
    lag = value;
  }

  /**
   * The lag the standby reports while the writer is unreachable (Aurora's metric still reports).
   */
  public synchronized void lagWhenWriterDown(Optional<Duration> value) {
    lagWhenWriterDown = value;
  }

  public synchronized void synchronous(boolean value) {
    synchronous = value;
  }

  public synchronized void unreachable(RegionId region, boolean value) {
    if (value) {
      unreachable.add(region);
    } else {
      unreachable.remove(region);
    }
  }

  public synchronized void failNextPromote(RuntimeException e) {
    failNextPromote = e;
  }

  /** Runs once, right after the next effective promotion (e.g. to crash the process there). */
  public synchronized void afterNextPromotion(Runnable hook) {
    afterPromote = hook;
  }

  public synchronized int promotions() {
    return promotions;
  }

  public synchronized Optional<RegionId> writer() {
    return writer;
  }

  public synchronized RegionId standby() {
    return standby;
  }

  public synchronized boolean isFenced(RegionId region) {
    return fenced.contains(region);
  }

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }

  public synchronized long callCount(String prefix) {
    return calls.stream().filter(c -> c.startsWith(prefix)).count();
  }
}
