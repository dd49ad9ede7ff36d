package io.tradingdr.core.testing;

import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.OrderLedgerSource;
import io.tradingdr.core.rpo.OrderReconciliation;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The orders each region's database holds, readable for the RPO ledger and writable through a
 * replay that is idempotent by (account, client order id), like the service's write path.
 */
public final class FakeOrderLedger implements OrderLedgerSource, OrderReconciliation {

  private final Clock clock;
  private final Map<RegionId, List<CommittedOrder>> orders = new HashMap<>();
  private final Map<RegionId, List<String>> cancelled = new HashMap<>();
  private final Set<String> refusedClientOrderIds = new HashSet<>();
  private int nextId = 1;

  public FakeOrderLedger(Clock clock) {
    this.clock = clock;
  }

  /** {@code region} commits an order now; returns it. */
  public synchronized CommittedOrder commit(RegionId region, String clientOrderId, String account) {
    CommittedOrder order =
        new CommittedOrder(
            "ord-" + nextId++,
            clientOrderId,
            account,
            clock.instant(),
            1,
            "{\"symbol\":\"ACME\",\"qty\":10,\"clientOrderId\":\"" + clientOrderId + "\"}");
    orders.computeIfAbsent(region, r -> new ArrayList<>()).add(order);
    return order;
  }

  /** Copies {@code order} to {@code region} as replication would. */
  public synchronized void replicate(RegionId region, CommittedOrder order) {
    orders.computeIfAbsent(region, r -> new ArrayList<>()).add(order);
  }

  @Override
  public synchronized List<CommittedOrder> committedSince(RegionId region, Instant since) {
    return orders.getOrDefault(region, List.of()).stream()
        .filter(o -> !o.committedAt().isBefore(since))
        .toList();
  }

  @Override
  public synchronized Set<String> present(RegionId region, Collection<CommittedOrder> wanted) {
    List<CommittedOrder> held = orders.getOrDefault(region, List.of());
    Set<String> out = new HashSet<>();
    for (CommittedOrder w : wanted) {
      boolean found =
          held.stream()
              .anyMatch(
                  h ->
                      h.orderId().equals(w.orderId())
                          || (h.account().equals(w.account())
                              && h.clientOrderId().equals(w.clientOrderId())));
      if (found) {
        out.add(w.orderId());
      }
    }
    return out;
  }

  @Override
  public synchronized ReplayOutcome replay(RegionId writer, CommittedOrder order) {
    if (refusedClientOrderIds.contains(order.clientOrderId())) {
      throw new RefusedException("order " + order.clientOrderId() + " rejected: market closed");
    }
    for (CommittedOrder h : orders.getOrDefault(writer, List.of())) {
      if (h.account().equals(order.account()) && h.clientOrderId().equals(order.clientOrderId())) {
        return new ReplayOutcome(h.orderId(), false);
      }
    }
    CommittedOrder replayed = commit(writer, order.clientOrderId(), order.account());
    return new ReplayOutcome(replayed.orderId(), true);
  }

  @Override
  public synchronized void markCancelled(RegionId writer, CommittedOrder order, String reason) {
    List<String> list = cancelled.computeIfAbsent(writer, r -> new ArrayList<>());
    if (!list.contains(order.orderId())) {
      list.add(order.orderId());
    }
  }

  public synchronized void refuseReplayOf(String clientOrderId) {
    refusedClientOrderIds.add(clientOrderId);
  }

  public synchronized List<CommittedOrder> orders(RegionId region) {
    return List.copyOf(orders.getOrDefault(region, List.of()));
  }

  public synchronized List<String> cancelled(RegionId region) {
    return List.copyOf(cancelled.getOrDefault(region, List.of()));
  }
}
