package io.tradingdr.service.orders;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.service.RunningService;
import io.tradingdr.service.config.OrderStoreKind;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.EnumSource;

/** The {@link OrderStore} contract, below the API, once per store. */
@ParameterizedClass(name = "{0}")
@EnumSource(OrderStoreKind.class)
class OrderStoreContractTest {

  private static final Duration TIMEOUT = Duration.ofSeconds(5);
  private static RunningService service;

  @Parameter OrderStoreKind store;

  @BeforeParameterizedClassInvocation
  static void start(OrderStoreKind store) {
    service = RunningService.start(store, Map.of());
  }

  @AfterParameterizedClassInvocation
  static void stop() {
    service.close();
  }

  private static OrderRequest request(String clientOrderId, String account, long quantity) {
    return new OrderRequest(
        clientOrderId,
        account,
        "AAPL",
        Side.BUY,
        OrderType.LIMIT,
        quantity,
        Optional.of(new BigDecimal("10.25")));
  }

  @Test
  void insertIfAbsent_concurrentSameClientOrderId_storesOneOrder_andEveryCallerGetsIt()
      throws Exception {
    OrderRequest request = request("race-1", "acct-race", 5);
    List<Callable<OrderStore.Stored>> calls = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      calls.add(
          () -> service.orders.insertIfAbsent(request, UUID.randomUUID(), "region-a", 7, TIMEOUT));
    }

    List<OrderStore.Stored> results = new ArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      for (Future<OrderStore.Stored> f : pool.invokeAll(calls)) {
        results.add(f.get());
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(results.stream().filter(OrderStore.Stored::created)).hasSize(1);
    assertThat(results.stream().map(r -> r.order().orderId()).distinct()).hasSize(1);
    assertThat(service.countOrders("clientOrderId", "race-1")).isEqualTo(1);
  }

  @Test
  void insertIfAbsent_otherBodyUnderTheSameClientOrderId_returnsTheStoredOrderUncreated() {
    OrderStore.Stored first =
        service.orders.insertIfAbsent(
            request("same-1", "acct-same", 5), UUID.randomUUID(), "region-a", 7, TIMEOUT);

    OrderStore.Stored second =
        service.orders.insertIfAbsent(
            request("same-1", "acct-same", 6), UUID.randomUUID(), "region-a", 8, TIMEOUT);

    assertThat(first.created()).isTrue();
    assertThat(second.created()).isFalse();
    assertThat(second.order().orderId()).isEqualTo(first.order().orderId());
    assertThat(second.order().quantity()).isEqualTo(5);
    assertThat(second.order().fingerprint())
        .isNotEqualTo(request("same-1", "acct-same", 6).fingerprint());
  }

  @Test
  void cancel_movesToCancelled_isIdempotent_andIsEmptyForAnotherAccountOrUnknownOrder() {
    UUID id =
        service
            .orders
            .insertIfAbsent(
                request("cx-1", "acct-cx", 1), UUID.randomUUID(), "region-a", 7, TIMEOUT)
            .order()
            .orderId();

    Optional<Order> stranger = service.orders.cancel(id, "acct-other", "region-a", 7, TIMEOUT);
    Optional<Order> first = service.orders.cancel(id, "acct-cx", "region-a", 8, TIMEOUT);
    Optional<Order> again = service.orders.cancel(id, "acct-cx", "region-a", 8, TIMEOUT);
    Optional<Order> unknown =
        service.orders.cancel(UUID.randomUUID(), "acct-cx", "region-a", 8, TIMEOUT);

    assertThat(stranger).isEmpty();
    assertThat(first.orElseThrow().status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(first.get().updatedAt()).isAfterOrEqualTo(first.get().createdAt());
    assertThat(again.orElseThrow().status()).isEqualTo(OrderStatus.CANCELLED);
    assertThat(unknown).isEmpty();
    assertThat(service.orders.find(id).orElseThrow().status()).isEqualTo(OrderStatus.CANCELLED);
  }

  @Test
  void list_pagesNewestFirst_andTheLastFullPageHasNoNextCursor() {
    for (int i = 1; i <= 6; i++) {
      service.orders.insertIfAbsent(
          request("pg-" + i, "acct-pages", i), UUID.randomUUID(), "region-a", 7, TIMEOUT);
    }

    OrderPage first = service.orders.list("acct-pages", 3, Optional.empty());
    OrderPage second = service.orders.list("acct-pages", 3, first.nextCursor());
    OrderPage none = service.orders.list("acct-nobody", 3, Optional.empty());

    assertThat(first.orders()).extracting(Order::quantity).containsExactly(6L, 5L, 4L);
    assertThat(second.orders()).extracting(Order::quantity).containsExactly(3L, 2L, 1L);
    assertThat(second.nextCursor()).isEmpty();
    assertThat(none.orders()).isEmpty();
    assertThat(none.nextCursor()).isEmpty();
  }

  @Test
  void list_refusesACursorItDidNotIssue_includingAnotherStoresCursor() {
    String sqlCursor = cursor("s12");
    String dynamoCursor = cursor("k0000000000001#" + UUID.randomUUID());
    String foreign = store == OrderStoreKind.DYNAMODB ? sqlCursor : dynamoCursor;

    assertThatThrownBy(() -> service.orders.list("acct-c", 2, Optional.of(foreign)))
        .isInstanceOf(InvalidCursorException.class);
    assertThatThrownBy(() -> service.orders.list("acct-c", 2, Optional.of("%%%")))
        .isInstanceOf(InvalidCursorException.class);
  }

  @Test
  void health_reportsAReachableWritableStoreOfItsEngine() {
    StoreHealth health = service.orders.health();

    assertThat(health.reachable()).isTrue();
    assertThat(health.engine()).isEqualTo(store.value());
    assertThat(health.mode()).contains(StoreHealth.Mode.READ_WRITE);
    assertThat(health.writable()).isTrue();
  }

  private static String cursor(String raw) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(raw.getBytes(StandardCharsets.UTF_8));
  }
}
