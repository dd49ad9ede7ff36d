package io.tradingdr.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.DynamoDbLocal;
import io.tradingdr.aws.testing.MutableClock;
import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.port.JournalEntry;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.RunLease;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The control store against a real DynamoDB Local, one fresh table per test. */
class DynamoDbControlStoreTest {

  private static final RegionId EAST = RegionId.of("us-east-1");
  private static final RegionId WEST = RegionId.of("us-east-2");
  private static final Duration TTL = Duration.ofSeconds(10);
  private static final AtomicInteger TABLES = new AtomicInteger();

  private static DynamoDbLocal local;
  private static DynamoDbClient dynamo;

  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
  private DynamoDbControlStore store;

  @BeforeAll
  static void startDynamoDbLocal() throws Exception {
    local = DynamoDbLocal.start();
    dynamo = local.client();
  }

  @AfterAll
  static void stopDynamoDbLocal() {
    dynamo.close();
    local.close();
  }

  @BeforeEach
  void freshTable() {
    String table = "control-" + TABLES.incrementAndGet();
    ControlTableSchema.createTable(dynamo, table);
    store = new DynamoDbControlStore(dynamo, table, clock);
  }

  @Test
  void read_returnsRevokedAtEpochZero_beforeAnyGrant() {
    WriteLease lease = store.read();

    assertThat(lease.holder()).isEmpty();
    assertThat(lease.epoch()).isEqualTo(Epoch.ZERO);
  }

  @Test
  void grant_givesTheLeaseToOneOfTwoContenders_andRefusesTheOther() {
    WriteLease granted = store.grant(EAST, Epoch.ZERO, TTL);

    assertThatThrownBy(() -> store.grant(WEST, Epoch.ZERO, TTL))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("grant refused")
        .hasMessageContaining("held by us-east-1 at epoch 1");
    assertThat(granted).isEqualTo(WriteLease.held(EAST, new Epoch(1), clock.instant().plus(TTL)));
    assertThat(store.read()).isEqualTo(granted);
  }

  @Test
  void grant_concurrentContenders_exactlyOneWins() throws Exception {
    List<Object> outcomes =
        race(() -> store.grant(EAST, Epoch.ZERO, TTL), () -> store.grant(WEST, Epoch.ZERO, TTL));

    assertThat(outcomes).filteredOn(WriteLease.class::isInstance).hasSize(1);
    assertThat(outcomes).filteredOn(ConflictException.class::isInstance).hasSize(1);
    WriteLease winner =
        (WriteLease)
            outcomes.stream().filter(WriteLease.class::isInstance).findFirst().orElseThrow();
    assertThat(store.read()).isEqualTo(winner);
  }

  @Test
  void append_concurrentWritersOfOneRun_exactlyOneWinsTheSequence() throws Exception {
    List<Object> outcomes =
        race(
            () -> {
              store.append(entry("run-9", 0, "run", JournalEntry.Phase.STARTED, "lambda twin A"));
              return "appended";
            },
            () -> {
              store.append(entry("run-9", 0, "run", JournalEntry.Phase.STARTED, "lambda twin B"));
              return "appended";
            });

    assertThat(outcomes).filteredOn("appended"::equals).hasSize(1);
    assertThat(outcomes).filteredOn(ConflictException.class::isInstance).hasSize(1);
    assertThat(store.entries("run-9")).hasSize(1);
  }

  /** Runs both actions at the same moment; each outcome is the result or the exception thrown. */
  private static List<Object> race(Callable<Object> a, Callable<Object> b) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      CountDownLatch start = new CountDownLatch(1);
      List<Future<Object>> futures = new ArrayList<>();
      for (Callable<Object> action : List.of(a, b)) {
        futures.add(
            pool.submit(
                () -> {
                  start.await();
                  try {
                    return action.call();
                  } catch (RuntimeException e) {
                    return e;
                  }
                }));
      }
      start.countDown();
      List<Object> outcomes = new ArrayList<>();
      for (Future<Object> f : futures) {
        outcomes.add(f.get(30, TimeUnit.SECONDS));
      }
      return outcomes;
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void grant_refusesWhileHeld_evenWithTheCurrentEpoch() {
    store.grant(EAST, Epoch.ZERO, TTL);

    assertThatThrownBy(() -> store.grant(WEST, new Epoch(1), TTL))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void renew_extendsTheHoldersLease_andIsIdempotent() {
    store.grant(EAST, Epoch.ZERO, TTL);
    clock.advance(Duration.ofSeconds(4));

    WriteLease first = store.renew(EAST, new Epoch(1), TTL);
    WriteLease second = store.renew(EAST, new Epoch(1), TTL);

    assertThat(first.expiresAt()).isEqualTo(clock.instant().plus(TTL));
    assertThat(second).isEqualTo(first);
    assertThat(store.read().isValidFor(EAST, clock.instant())).isTrue();
  }

  @Test
  void renew_refusesAnotherRegion() {
    store.grant(EAST, Epoch.ZERO, TTL);

    assertThatThrownBy(() -> store.renew(WEST, new Epoch(1), TTL))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("us-east-2 at epoch 1 does not hold");
  }

  @Test
  void renew_takesAnExpiredLeaseBack_whileNobodyRevokedIt() {
    store.grant(EAST, Epoch.ZERO, TTL);
    clock.advance(TTL.plusSeconds(5));

    WriteLease renewed = store.renew(EAST, new Epoch(1), TTL);

    assertThat(renewed).isEqualTo(WriteLease.held(EAST, new Epoch(1), clock.instant().plus(TTL)));
  }

  @Test
  void revoke_bumpsTheEpoch_andTheStaleHoldersRenewalIsRefused() {
    store.grant(EAST, Epoch.ZERO, TTL);

    WriteLease revoked = store.revoke(new Epoch(1));

    assertThat(revoked.holder()).isEmpty();
    assertThat(revoked.epoch()).isEqualTo(new Epoch(2));
    assertThatThrownBy(() -> store.renew(EAST, new Epoch(1), TTL))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("revoked at epoch 2");
  }

  @Test
  void revoke_refusesAStaleExpectedEpoch() {
    store.grant(EAST, Epoch.ZERO, TTL);
    store.revoke(new Epoch(1));

    assertThatThrownBy(() -> store.revoke(new Epoch(1)))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("expected epoch 1");
  }

  @Test
  void failoverSequence_expiryThenRevokeThenGrant_movesTheLeaseAndFencesTheOldHolder() {
    store.grant(EAST, Epoch.ZERO, TTL);
    clock.advance(TTL.plusSeconds(1));
    WriteLease expired = store.read();
    assertThat(expired.isExpiredAt(clock.instant())).isTrue();

    WriteLease revoked = store.revoke(expired.epoch());
    WriteLease granted = store.grant(WEST, revoked.epoch(), TTL);

    assertThat(granted).isEqualTo(WriteLease.held(WEST, new Epoch(3), clock.instant().plus(TTL)));
    assertThatThrownBy(() -> store.renew(EAST, new Epoch(1), TTL))
        .isInstanceOf(ConflictException.class);
    assertThatThrownBy(() -> store.grant(EAST, new Epoch(2), TTL))
        .isInstanceOf(ConflictException.class);
  }

  @Test
  void revoke_atEpochZero_fencesAnEmptyStore() {
    WriteLease revoked = store.revoke(Epoch.ZERO);

    assertThat(revoked.epoch()).isEqualTo(new Epoch(1));
    assertThat(store.grant(EAST, new Epoch(1), TTL).epoch()).isEqualTo(new Epoch(2));
  }

  @Test
  void acquireRunLease_refusesASecondOwner_untilTheFirstExpires() {
    RunLease first = store.acquireRunLease("lambda:us-east-2:req-1", TTL);

    assertThatThrownBy(() -> store.acquireRunLease("drctl:host:42", TTL))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("lambda:us-east-2:req-1");

    clock.advance(TTL);
    RunLease second = store.acquireRunLease("drctl:host:42", TTL);

    assertThat(second.owner()).isEqualTo("drctl:host:42");
    assertThat(second.token()).isNotEqualTo(first.token());
    assertThat(store.currentRunLease()).contains(second);
  }

  @Test
  void renewRunLease_refusesTheOldHolder_afterATakeover() {
    RunLease first = store.acquireRunLease("a", TTL);
    clock.advance(TTL);
    store.acquireRunLease("b", TTL);

    assertThatThrownBy(() -> store.renewRunLease(first, TTL))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("held by b");
  }

  @Test
  void renewRunLease_extendsTheCurrentHolder() {
    RunLease lease = store.acquireRunLease("a", TTL);
    clock.advance(Duration.ofSeconds(5));

    RunLease renewed = store.renewRunLease(lease, TTL);

    assertThat(renewed.expiresAt()).isEqualTo(clock.instant().plus(TTL));
    assertThat(store.currentRunLease()).contains(renewed);
  }

  @Test
  void releaseRunLease_isIdempotent_andDoesNotReleaseSomeoneElses() {
    RunLease first = store.acquireRunLease("a", TTL);
    store.releaseRunLease(first);
    store.releaseRunLease(first);
    assertThat(store.currentRunLease()).isEmpty();

    RunLease second = store.acquireRunLease("b", TTL);
    store.releaseRunLease(first);

    assertThat(store.currentRunLease()).contains(second);
  }

  @Test
  void append_isIdempotent_forAnEqualEntry() {
    JournalEntry started =
        entry("run-1", 0, "run", JournalEntry.Phase.STARTED, "failover us-east-1 -> us-east-2");

    store.append(started);
    store.append(started);

    assertThat(store.entries("run-1")).containsExactly(started);
  }

  @Test
  void append_refusesADifferentEntryAtTheSameSequence() {
    store.append(entry("run-1", 0, "run", JournalEntry.Phase.STARTED, "first writer"));

    assertThatThrownBy(
            () ->
                store.append(entry("run-1", 0, "run", JournalEntry.Phase.STARTED, "second writer")))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("already has a different entry at sequence 0");
  }

  @Test
  void append_refusesAGap() {
    store.append(entry("run-1", 0, "run", JournalEntry.Phase.STARTED, "go"));

    assertThatThrownBy(
            () -> store.append(entry("run-1", 2, "promote", JournalEntry.Phase.STARTED, "go")))
        .isInstanceOf(ConflictException.class)
        .hasMessageContaining("no entry at sequence 1");
  }

  @Test
  void entries_returnsTheRunInSequenceOrder_withAttributes() {
    JournalEntry e0 = entry("run-1", 0, "run", JournalEntry.Phase.STARTED, "go");
    JournalEntry e1 =
        new JournalEntry(
            "run-1",
            1,
            clock.instant().plusMillis(1500),
            "lag-guard",
            JournalEntry.Phase.REFUSED,
            "maxLagOnFailover: standby lag 4.2 s exceeds 1 s",
            Map.of("lagMillis", "4200", "guard", "maxLagOnFailover"));
    for (long i = 0; i < 12; i++) {
      // Sequences past 9 check that the sort key orders numerically, not lexically.
      if (i == 0) {
        store.append(e0);
      } else if (i == 1) {
        store.append(e1);
      } else {
        store.append(entry("run-1", i, "step-" + i, JournalEntry.Phase.COMPLETED, "ok"));
      }
    }

    var entries = store.entries("run-1");

    assertThat(entries).hasSize(12);
    assertThat(entries.get(0)).isEqualTo(e0);
    assertThat(entries.get(1)).isEqualTo(e1);
    assertThat(entries).extracting(JournalEntry::sequence).isSorted();
    assertThat(store.entries("unknown-run")).isEmpty();
  }

  @Test
  void recentRuns_listsNewestFirst_upToTheLimit() {
    store.append(entry("run-a", 0, "run", JournalEntry.Phase.STARTED, "a"));
    clock.advance(Duration.ofMinutes(1));
    store.append(entry("run-b", 0, "run", JournalEntry.Phase.STARTED, "b"));
    clock.advance(Duration.ofMinutes(1));
    store.append(entry("run-c", 0, "run", JournalEntry.Phase.STARTED, "c"));

    assertThat(store.recentRuns(2)).containsExactly("run-c", "run-b");
    assertThat(store.recentRuns(10)).containsExactly("run-c", "run-b", "run-a");
  }

  @Test
  void switches_pauseAndResume_latestReasonWins() {
    assertThat(store.automaticFailoverPausedBecause()).isEmpty();

    store.pauseAutomaticFailover("alice: game day");
    store.pauseAutomaticFailover("bob: maintenance");
    assertThat(store.automaticFailoverPausedBecause()).contains("bob: maintenance");

    store.resumeAutomaticFailover();
    store.resumeAutomaticFailover();
    assertThat(store.automaticFailoverPausedBecause()).isEmpty();
  }

  @Test
  void missingTable_isARefusalNamingTheProblem() {
    DynamoDbControlStore missing = new DynamoDbControlStore(dynamo, "no-such-table", clock);

    assertThatThrownBy(missing::read)
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("ResourceNotFoundException");
  }

  private JournalEntry entry(
      String runId, long seq, String step, JournalEntry.Phase phase, String reason) {
    return new JournalEntry(
        runId, seq, clock.instant(), step, phase, reason, Map.of("kind", "failover"));
  }
}
