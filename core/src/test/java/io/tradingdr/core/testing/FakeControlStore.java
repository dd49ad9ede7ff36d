package io.tradingdr.core.testing;

import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.port.ControlStore;
import io.tradingdr.core.port.JournalEntry;
import io.tradingdr.core.port.RunLease;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * In-memory control store with the same conditional semantics as the DynamoDB one: epochs for the
 * write lease, tokens for the run lease, gap-free sequences for the journal. Tests can make it
 * unreachable and crash the process on a chosen journal append.
 */
public final class FakeControlStore implements ControlStore {

  private final Clock clock;
  private WriteLease lease = WriteLease.revoked(Epoch.ZERO, Instant.EPOCH);
  private Optional<RunLease> runLease = Optional.empty();
  private final Map<String, List<JournalEntry>> journal = new LinkedHashMap<>();
  private Optional<String> paused = Optional.empty();
  private boolean leaseUnreachable;
  private boolean journalUnreachable;
  private Predicate<JournalEntry> crashBefore = e -> false;
  private Predicate<JournalEntry> crashAfter = e -> false;
  private int grants;
  private int revokes;

  public FakeControlStore(Clock clock) {
    this.clock = clock;
  }

  // write lease ---------------------------------------------------------------------------------

  @Override
  public synchronized WriteLease read() {
    checkLeaseReachable();
    return lease;
  }

  @Override
  public synchronized WriteLease renew(RegionId holder, Epoch epoch, Duration ttl) {
    checkLeaseReachable();
    if (!lease.isHeldBy(holder) || !lease.epoch().equals(epoch)) {
      throw new ConflictException(
          "renew refused: stored " + lease.holder() + " at epoch " + lease.epoch());
    }
    lease = WriteLease.held(holder, epoch, clock.instant().plus(ttl));
    return lease;
  }

  @Override
  public synchronized WriteLease revoke(Epoch expected) {
    checkLeaseReachable();
    if (!lease.epoch().equals(expected)) {
      throw new ConflictException("revoke refused: stored epoch " + lease.epoch());
    }
    lease = WriteLease.revoked(expected.next(), clock.instant());
    revokes++;
    return lease;
  }

  @Override
  public synchronized WriteLease grant(RegionId region, Epoch expected, Duration ttl) {
    checkLeaseReachable();
    if (!lease.epoch().equals(expected) || lease.holder().isPresent()) {
      throw new ConflictException(
          "grant refused: stored " + lease.holder() + " at epoch " + lease.epoch());
    }
    lease = WriteLease.held(region, expected.next(), clock.instant().plus(ttl));
    grants++;
    return lease;
  }

  /** Successful grants so far (a double grant shows as one too many). */
  public synchronized int grants() {
    return grants;
  }

  public synchronized int revokes() {
    return revokes;
  }

  public synchronized void leaseUnreachable(boolean value) {
    leaseUnreachable = value;
  }

  private void checkLeaseReachable() {
    if (leaseUnreachable) {
      throw new UnreachableException("control store timed out (write lease)");
    }
  }

  // run lease -----------------------------------------------------------------------------------

  @Override
  public synchronized Optional<RunLease> currentRunLease() {
    checkJournalReachable();
    return runLease;
  }

  @Override
  public synchronized RunLease acquireRunLease(String owner, Duration ttl) {
    checkJournalReachable();
    if (runLease.isPresent() && clock.instant().isBefore(runLease.get().expiresAt())) {
      throw new ConflictException("run lease held by " + runLease.get().owner());
    }
    RunLease taken = new RunLease(owner, UUID.randomUUID().toString(), clock.instant().plus(ttl));
    runLease = Optional.of(taken);
    return taken;
  }

  @Override
  public synchronized RunLease renewRunLease(RunLease held, Duration ttl) {
    checkJournalReachable();
    if (runLease.isEmpty() || !runLease.get().token().equals(held.token())) {
      throw new ConflictException("run lease of " + held.owner() + " is no longer stored");
    }
    RunLease renewed = new RunLease(held.owner(), held.token(), clock.instant().plus(ttl));
    runLease = Optional.of(renewed);
    return renewed;
  }

  @Override
  public synchronized void releaseRunLease(RunLease held) {
    checkJournalReachable();
    if (runLease.isPresent() && runLease.get().token().equals(held.token())) {
      runLease = Optional.empty();
    }
  }

  // journal -------------------------------------------------------------------------------------

  @Override
  public void append(JournalEntry entry) {
    synchronized (this) {
      checkJournalReachable();
      if (crashBefore.test(entry)) {
        crashBefore = e -> false;
        throw new SimulatedCrash("before journaling " + entry.step() + " " + entry.phase());
      }
      List<JournalEntry> entries = journal.computeIfAbsent(entry.runId(), id -> new ArrayList<>());
      if (entry.sequence() < entries.size()) {
        if (!entries.get((int) entry.sequence()).equals(entry)) {
          throw new ConflictException(
              "journal of " + entry.runId() + " already has sequence " + entry.sequence());
        }
        return;
      }
      if (entry.sequence() > entries.size()) {
        throw new ConflictException(
            "journal of " + entry.runId() + " has no sequence " + entries.size() + " yet");
      }
      entries.add(entry);
      if (crashAfter.test(entry)) {
        crashAfter = e -> false;
        throw new SimulatedCrash("after journaling " + entry.step() + " " + entry.phase());
      }
    }
  }

  @Override
  public synchronized List<JournalEntry> entries(String runId) {
    checkJournalReachable();
    return List.copyOf(journal.getOrDefault(runId, List.of()));
  }

  @Override
  public synchronized List<String> recentRuns(int limit) {
    checkJournalReachable();
    List<String> ids = new ArrayList<>(journal.keySet());
    java.util.Collections.reverse(ids);
    return ids.subList(0, Math.min(limit, ids.size()));
  }

  /** Every entry of every run, in the order the runs started. */
  public synchronized List<JournalEntry> allEntries() {
    return journal.values().stream().flatMap(List::stream).toList();
  }

  /** The process dies when {@code when} matches an entry, before it is stored. Once. */
  public synchronized void crashBeforeAppending(Predicate<JournalEntry> when) {
    crashBefore = when;
  }

  /** The process dies right after an entry matching {@code when} is stored. Once. */
  public synchronized void crashAfterAppending(Predicate<JournalEntry> when) {
    crashAfter = when;
  }

  public synchronized void journalUnreachable(boolean value) {
    journalUnreachable = value;
  }

  private void checkJournalReachable() {
    if (journalUnreachable) {
      throw new UnreachableException("control store timed out (journal)");
    }
  }

  // switches ------------------------------------------------------------------------------------

  @Override
  public synchronized Optional<String> automaticFailoverPausedBecause() {
    checkJournalReachable();
    return paused;
  }

  @Override
  public synchronized void pauseAutomaticFailover(String reason) {
    checkJournalReachable();
    paused = Optional.of(reason);
  }

  @Override
  public synchronized void resumeAutomaticFailover() {
    checkJournalReachable();
    paused = Optional.empty();
  }
}
