package io.tradingdr.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.procs.MariaDbNode;
import io.tradingdr.procs.RunDirectory;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MySQL dialect of {@link JdbcOrderReader} against a real server: this machine has MariaDB
 * 10.11 (MySQL protocol, same SQL for these statements), a {@link MariaDbNode} on a free loopback
 * port, stopped by its PID. The table is the MySQL form of the service's orders table
 * (service/src/main/resources/db/migration/mysql: {@code order_id CHAR(36)}, {@code DATETIME(6)} in
 * UTC, {@code seq BIGINT AUTO_INCREMENT UNIQUE}).
 */
class JdbcOrderReaderOnMySqlTest {

  private static final String USER = "reader";
  private static MariaDbNode mariaDb;
  private static JdbcOrderReader.Target target;
  private final JdbcOrderReader reader = new JdbcOrderReader(Duration.ofSeconds(5));

  @BeforeAll
  static void startMySql() {
    assumeTrue(
        Files.isExecutable(MariaDbNode.DEFAULT_SERVER)
            && Files.isExecutable(MariaDbNode.DEFAULT_INSTALL_DB),
        "MariaDB is not installed on this machine (scripts/install-deps installs it)");
    RunDirectory run = RunDirectory.temporary("aws-mysql-test-").deleteOnExit();
    mariaDb =
        MariaDbNode.builder()
            .name("aws-test-mariadb")
            .dataDir(run.resolve("data"))
            .runDirectory(run)
            .build()
            .initdb()
            .start();
    mariaDb.createDatabase("trading");
    mariaDb.createDatabase("empty");
    mariaDb.createApplicationUser(USER);
    mariaDb.execute(
        """

          create table trading.orders (
            seq bigint not null auto_increment unique,
            order_id char(36) primary key,
            client_order_id varchar(64) not null,
            account_id varchar(64) not null,
            symbol varchar(12) not null,
            side varchar(4) not null,
            order_type varchar(6) not null,
            quantity bigint not null,
            limit_price decimal(18, 4),
            status varchar(16) not null,
            region varchar(32) not null,
            epoch bigint not null,
            request_hash char(64) not null,
            created_at datetime(6) not null,
            updated_at datetime(6) not null,
            cancel_region varchar(32),
            cancel_epoch bigint,
            unique key orders_client_order_id_uq (account_id, client_order_id))
        """);
    mariaDb.execute(
        "insert into trading.orders (order_id, client_order_id, account_id, symbol, side,"
            + " order_type, quantity, limit_price, status, region, epoch, request_hash,"
            + " created_at, updated_at) values"
            + " ('o-a', 'c-a', 'acct-1', 'AAPL', 'BUY', 'LIMIT', 10, 101.25, 'NEW', 'us-east-1',"
            + " 3, repeat('0', 64), '2026-11-22 05:58:00.000000', '2026-11-22 05:58:00'),"
            + " ('o-b', 'c-b', 'acct-1', 'AAPL', 'SELL', 'MARKET', 5, null, 'NEW', 'us-east-1',"
            + " 3, repeat('0', 64), '2026-11-22 05:59:30.250000', '2026-11-22 05:59:30'),"
            + " ('o-c', 'c-c', 'acct-2', 'MSFT', 'BUY', 'LIMIT', 7, 7.5, 'NEW', 'us-east-1',"
            + " 4, repeat('0', 64), '2026-11-22 05:59:45.000000', '2026-11-22 05:59:45')");
    target =
        new JdbcOrderReader.Target(
            JdbcOrderReader.Dialect.MYSQL.url(mariaDb.host(), mariaDb.port(), "trading", false),
            USER,
            "");
  }

  @AfterAll
  static void stopMySql() {
    if (mariaDb != null) {
      mariaDb.close();
    }
  }

  @Test
  void committedSince_readsDatetimeAsUtc_inSeqOrder_withTheBodyInTheRequestFormat() {
    List<CommittedOrder> orders =
        reader.committedSince(target, Instant.parse("2026-11-22T05:59:00Z"));

    assertThat(orders).extracting(CommittedOrder::orderId).containsExactly("o-b", "o-c");
    assertThat(orders.get(0).committedAt()).isEqualTo(Instant.parse("2026-11-22T05:59:30.25Z"));
    assertThat(orders.get(0).body())
        .isEqualTo(
            "{\"clientOrderId\":\"c-b\",\"accountId\":\"acct-1\",\"symbol\":\"AAPL\","
                + "\"side\":\"SELL\",\"type\":\"MARKET\",\"quantity\":5}");
    assertThat(orders.get(1).epoch()).isEqualTo(4);
    assertThat(orders.get(1).body()).contains("\"limitPrice\":7.5000");
  }

  @Test
  void present_matchesByOrderIdOrByAccountAndClientOrderId() {
    Instant at = Instant.parse("2026-11-22T05:59:30Z");
    List<CommittedOrder> candidates =
        List.of(
            new CommittedOrder("o-a", "c-zzz", "acct-1", at, 3, "{}"),
            new CommittedOrder("o-new-id", "c-c", "acct-2", at, 3, "{}"),
            new CommittedOrder("o-lost", "c-lost", "acct-1", at, 3, "{}"));

    assertThat(reader.present(target, candidates)).containsExactlyInAnyOrder("o-a", "o-new-id");
  }

  @Test
  void committedSince_refuses_whenTheTableIsMissing() {
    JdbcOrderReader.Target noTable =
        new JdbcOrderReader.Target(
            JdbcOrderReader.Dialect.MYSQL.url(mariaDb.host(), mariaDb.port(), "empty", false),
            USER,
            "");

    assertThatThrownBy(() -> reader.committedSince(noTable, Instant.EPOCH))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("SQLState 42");
  }
}
