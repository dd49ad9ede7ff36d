package io.tradingdr.aws.dynamodb;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.aws.testing.DynamoDbLocal;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.RpoLedger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

class DynamoDbRpoLedgerStoreTest {

  static final String TABLE = "trading-control-rpo";

  private static DynamoDbLocal local;
  private static DynamoDbClient client;
  private static DynamoDbRpoLedgerStore store;

  @BeforeAll
  static void start() throws Exception {
    local = DynamoDbLocal.start();
    client = local.client();
    ControlTableSchema.createTable(client, TABLE);
    store = new DynamoDbRpoLedgerStore(client, TABLE);
  }

  @AfterAll
  static void stop() {
    if (local != null) {
      local.close();
    }
  }

  @Test
  void find_returnsNothing_forARunWithoutLedger() {
    assertThat(store.find("failover-none")).isEmpty();
  }

  @Test
  void save_thenFind_returnsTheSameLedger_andALaterSaveReplacesIt() {
    RpoLedger first = ledger("failover-1", 2);
    store.save(first);
    assertThat(store.find("failover-1")).contains(first);

    RpoLedger second = ledger("failover-1", 1);
    store.save(second);
    assertThat(store.find("failover-1")).contains(second);
  }

  @Test
  void save_splitsALedgerLargerThanOneItemIntoParts_andFindJoinsThem() {
    RpoLedger big = ledger("failover-big", 1_000);

    store.save(big);

    assertThat(store.find("failover-big")).contains(big);
    Map<String, AttributeValue> head =
        client
            .getItem(
                r ->
                    r.tableName(TABLE)
                        .key(
                            Map.of(
                                "pk", AttributeValue.fromS("rpo#failover-big"),
                                "sk", AttributeValue.fromS("ledger"))))
            .item();
    assertThat(Integer.parseInt(head.get("parts").n())).isGreaterThan(1);
    assertThat(head.get("missing").n()).isEqualTo("1000");
  }

  private static RpoLedger ledger(String runId, int orders) {
    List<CommittedOrder> missing = new ArrayList<>();
    for (int i = 0; i < orders; i++) {
      missing.add(
          new CommittedOrder(
              "order-" + i,
              "client-" + i,
              "acct-" + (i % 7),
              Instant.parse("2026-11-22T05:59:30Z").plusMillis(i),
              3,
              "{\"clientOrderId\":\"client-"
                  + i
                  + "\",\"accountId\":\"acct-1\",\"symbol\":\"AAPL\",\"side\":\"BUY\","
                  + "\"type\":\"LIMIT\",\"quantity\":10,\"limitPrice\":101.25}"));
    }
    return new RpoLedger(
        runId,
        "us-east-1",
        "us-east-2",
        Instant.parse("2026-11-22T06:00:00Z"),
        Instant.parse("2026-11-22T05:59:00Z"),
        "replayed to 2026-11-22T05:59:58Z",
        "unknown",
        Instant.parse("2026-11-22T07:00:00Z"),
        missing);
  }
}
