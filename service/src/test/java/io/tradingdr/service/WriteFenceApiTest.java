package io.tradingdr.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.core.fence.WritePermit;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.procs.MariaDbNode;
import io.tradingdr.service.config.OrderStoreKind;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class WriteFenceApiTest {

  private static String order(String clientOrderId, String account) {
    return "{\"clientOrderId\":\""
        + clientOrderId
        + "\",\"accountId\":\""
        + account
        + "\",\"symbol\":\"AAPL\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":1}";
  }

  @ParameterizedTest
  @EnumSource(OrderStoreKind.class)
  void standbyRegion_refusesWritesWith503AndRetryAfter_andWritesNothing(OrderStoreKind store) {
    try (RunningService standby =
        RunningService.start(
            store, Map.of("TDR_WRITE_ROLE", "STANDBY", "TDR_REGION", "region-b"))) {
      String session = standby.session("acct-s");

      HttpResponse<String> refused = standby.postJson("/orders", session, order("s-1", "acct-s"));

      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      assertThat(RunningService.json(refused).get("error").asText()).isEqualTo("write_refused");
      assertThat(RunningService.json(refused).get("message").asText()).startsWith("writeRole:");
      assertThat(standby.orderRows()).isZero();
      assertThat(standby.get("/metrics", null).body())
          .contains("tdr_writes_refused_total{reason=\"writeRole\"} 1.0");
      assertThat(
              RunningService.json(standby.get("/health/ready", null))
                  .at("/writeFence/admits")
                  .asBoolean())
          .isFalse();
    }
  }

  @Test
  void readOnlyDatabase_answers503_thenThePoolFollowsWhenItIsWritableAgain() {
    try (RunningService service = RunningService.start(Map.of())) {
      String session = service.session("acct-r");
      assertThat(service.postJson("/orders", session, order("r-0", "acct-r")).statusCode())
          .isEqualTo(201);
      String db = service.jdbcUrl.substring(service.jdbcUrl.lastIndexOf('/') + 1);
      // Every pooled connection is already open: only the running sessions' setting changes.
      service.execute("alter database " + db + " set default_transaction_read_only = on");
      service.execute(
          "select pg_terminate_backend(pid) from pg_stat_activity where datname = '"
              + db
              + "' and pid <> pg_backend_pid()");

      HttpResponse<String> firstTry = service.postJson("/orders", session, order("r-1", "acct-r"));
      HttpResponse<String> readOnly = service.postJson("/orders", session, order("r-1", "acct-r"));

      assertThat(firstTry.statusCode()).isEqualTo(503);
      assertThat(readOnly.statusCode()).isEqualTo(503);
      assertThat(RunningService.json(readOnly).get("error").asText())
          .isEqualTo("database_read_only");
      assertThat(readOnly.headers().firstValue("Retry-After")).isPresent();
      assertThat(
              RunningService.json(service.get("/health/ready", null)).at("/database/mode").asText())
          .isEqualTo("READ_ONLY");
      assertThat(service.countOrders("clientOrderId", "r-1")).isZero();

      service.execute("alter database " + db + " reset default_transaction_read_only");
      HttpResponse<String> afterReset =
          service.postJson("/orders", session, order("r-1", "acct-r"));
      HttpResponse<String> retried = service.postJson("/orders", session, order("r-1", "acct-r"));

      // A pooled read-only connection may answer once more; its 25006 evicts it.
      assertThat(afterReset.statusCode()).isIn(201, 503);
      assertThat(retried.statusCode()).isIn(200, 201);
      assertThat(service.countOrders("clientOrderId", "r-1")).isEqualTo(1);
    }
  }

  @Test
  void readOnlyMySql_error1290Answers503ReadOnly_andReadinessSaysReadOnly() {
    try (RunningService service = RunningService.start(OrderStoreKind.MYSQL, Map.of())) {
      String session = service.session("acct-my");
      assertThat(service.postJson("/orders", session, order("my-0", "acct-my")).statusCode())
          .isEqualTo(201);
      MariaDbNode server = TestStores.mariaDb();
      // What an Aurora writer demoted by a failover does: the application user's writes get 1290.
      server.execute("SET GLOBAL read_only = ON");
      HttpResponse<String> readOnly;
      String mode;
      HttpResponse<String> read;
      try {
        readOnly = service.postJson("/orders", session, order("my-1", "acct-my"));
        mode =
            RunningService.json(service.get("/health/ready", null)).at("/database/mode").asText();
        read = service.get("/orders?accountId=acct-my", session);
      } finally {
        server.execute("SET GLOBAL read_only = OFF");
      }

      assertThat(readOnly.statusCode()).isEqualTo(503);
      assertThat(RunningService.json(readOnly).get("error").asText())
          .isEqualTo("database_read_only");
      assertThat(readOnly.headers().firstValue("Retry-After")).isPresent();
      assertThat(mode).isEqualTo("READ_ONLY");
      assertThat(read.statusCode()).isEqualTo(200);
      assertThat(service.countOrders("clientOrderId", "my-1")).isZero();
      HttpResponse<String> retried = service.postJson("/orders", session, order("my-1", "acct-my"));
      assertThat(retried.statusCode()).isEqualTo(201);
      assertThat(service.countOrders("clientOrderId", "my-1")).isEqualTo(1);
    }
  }

  @ParameterizedTest
  @EnumSource(OrderStoreKind.class)
  void permitAboutToExpire_isRefusedBeforeAnyWrite(OrderStoreKind store) {
    try (RunningService service =
        RunningService.withFence(
            store,
            config ->
                () ->
                    new WritePermit(
                        RegionId.of("region-a"), new Epoch(3), Instant.now().plusMillis(10)))) {
      String session = service.session("acct-p");

      HttpResponse<String> refused = service.postJson("/orders", session, order("p-1", "acct-p"));

      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(RunningService.json(refused).get("message").asText()).startsWith("writePermit:");
      assertThat(service.orderRows()).isZero();
    }
  }
}
