package io.tradingdr.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.aws.testing.DynamoDbLocal;
import io.tradingdr.aws.testing.MutableClock;
import io.tradingdr.core.fence.LeaseWriteFence;
import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.fence.WriteRefusedException;
import io.tradingdr.core.region.RegionId;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The no-split-brain invariant on a real DynamoDB Local: two regions' fences and an orchestrator
 * share one control table; at every step at most one region admits writes.
 */
class LeaseWriteFenceOnDynamoDbTest {

  static final RegionId EAST = RegionId.of("us-east-1");
  static final RegionId WEST = RegionId.of("us-east-2");
  static final Duration TTL = Duration.ofSeconds(9);
  static final Duration MARGIN = Duration.ofSeconds(2);

  private static DynamoDbLocal local;
  private static DynamoDbClient dynamo;

  @BeforeAll
  static void start() throws Exception {
    local = DynamoDbLocal.start();
    dynamo = local.client();
    ControlTableSchema.createTable(dynamo, "fence-control");
  }

  @AfterAll
  static void stop() {
    dynamo.close();
    local.close();
  }

  @Test
  void failover_movesTheRightToWrite_andTheOldRegionIsRefused() {
    MutableClock clock = new MutableClock(Instant.parse("2026-01-05T10:00:00Z"));
    DynamoDbControlStore store = new DynamoDbControlStore(dynamo, "fence-control", clock);
    LeaseWriteFence east = new LeaseWriteFence(EAST, store, clock, TTL, MARGIN);
    LeaseWriteFence west = new LeaseWriteFence(WEST, store, clock, TTL, MARGIN);

    store.grant(EAST, store.read().epoch(), TTL);
    east.refresh();
    west.refresh();
    assertThat(east.admit().epoch().value()).isEqualTo(1);
    assertThatThrownBy(west::admit).isInstanceOf(WriteRefusedException.class);

    // East is cut off from the store: it stops admitting before the lease expires.
    clock.advance(TTL.minus(MARGIN));
    assertThatThrownBy(east::admit).hasMessageContaining("safety margin");

    // The orchestrator waits for expiry, revokes, grants west.
    clock.advance(MARGIN);
    WriteLease expired = store.read();
    assertThat(expired.isExpiredAt(clock.instant())).isTrue();
    store.grant(WEST, store.revoke(expired.epoch()).epoch(), TTL);
    west.refresh();
    assertThat(west.admit().epoch().value()).isEqualTo(3);

    // East comes back: its renewal is refused, it never admits again at its old epoch.
    east.refresh();
    assertThatThrownBy(east::admit).hasMessageStartingWith("writeLease: lost");
  }
}
