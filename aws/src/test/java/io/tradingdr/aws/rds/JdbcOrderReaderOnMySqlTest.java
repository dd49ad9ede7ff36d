package io.tradingdr.aws.rds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.procs.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The MySQL dialect of {@link JdbcOrderReader} against a real server: this machine has MariaDB
 * 10.11 (MySQL protocol, same SQL for these statements), started here as a child process on a free
 * loopback port and stopped by its PID. The table is the MySQL form of the orders contract
 * (COMMON.md: {@code order_id CHAR(36)}, {@code DATETIME(6)} in UTC, {@code seq BIGINT
 * AUTO_INCREMENT UNIQUE}).
 */
class JdbcOrderReaderOnMySqlTest {

  static final Path MARIADBD = Path.of("/usr/sbin/mariadbd");
  static final Path INSTALL_DB = Path.of("/usr/bin/mariadb-install-db");

  private static Path dir;
  private static Process server;
  private static int port;
  private static JdbcOrderReader.Target target;
  private final JdbcOrderReader reader = new JdbcOrderReader(Duration.ofSeconds(5));

  @BeforeAll
  static void startMySql() throws Exception {
    assumeTrue(
        Files.isExecutable(MARIADBD) && Files.isExecutable(INSTALL_DB),
        "MariaDB is not installed on this machine");
    dir = Files.createTempDirectory("aws-mysql-test-");
    run(
        List.of(
            INSTALL_DB.toString(),
            "--no-defaults",
            "--datadir=" + dir.resolve("data"),
            "--auth-root-authentication-method=normal",
            "--skip-test-db",
            "--user=root"));
    port = FreePorts.pick("127.0.0.1");
    server =
        new ProcessBuilder(
                MARIADBD.toString(),
                "--no-defaults",
                "--datadir=" + dir.resolve("data"),
                "--port=" + port,
                "--bind-address=127.0.0.1",
                "--socket=" + dir.resolve("sock"),
                "--pid-file=" + dir.resolve("pid"),
                "--user=root",
                // Loopback only, for this test: any user name is accepted.
                "--skip-grant-tables",
                "--skip-log-bin",
                "--innodb-flush-log-at-trx-commit=0")
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("server.log").toFile())
            .start();
    awaitPort(Duration.ofSeconds(60));
    try (Connection c =
            DriverManager.getConnection(
                "jdbc:mysql://127.0.0.1:" + port + "/?sslMode=DISABLED", "root", "");
        Statement st = c.createStatement()) {
      st.execute("create database trading");
      st.execute(
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
      st.execute(
          "insert into trading.orders (order_id, client_order_id, account_id, symbol, side,"
              + " order_type, quantity, limit_price, status, region, epoch, request_hash,"
              + " created_at, updated_at) values"
              + " ('o-a', 'c-a', 'acct-1', 'AAPL', 'BUY', 'LIMIT', 10, 101.25, 'NEW', 'us-east-1',"
              + " 3, repeat('0', 64), '2026-11-22 05:58:00.000000', '2026-11-22 05:58:00'),"
              + " ('o-b', 'c-b', 'acct-1', 'AAPL', 'SELL', 'MARKET', 5, null, 'NEW', 'us-east-1',"
              + " 3, repeat('0', 64), '2026-11-22 05:59:30.250000', '2026-11-22 05:59:30'),"
              + " ('o-c', 'c-c', 'acct-2', 'MSFT', 'BUY', 'LIMIT', 7, 7.5, 'NEW', 'us-east-1',"
              + " 4, repeat('0', 64), '2026-11-22 05:59:45.000000', '2026-11-22 05:59:45')");
    }
    target =
        new JdbcOrderReader.Target(
            JdbcOrderReader.Dialect.MYSQL.url("127.0.0.1", port, "trading", false), "root", "");
  }

  @AfterAll
  static void stopMySql() throws Exception {
    if (server != null) {
      server.destroy();
      if (!server.waitFor(30, TimeUnit.SECONDS)) {
        server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      }
    }
    if (dir != null) {
      try (Stream<Path> files = Files.walk(dir)) {
        files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
      }
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
            JdbcOrderReader.Dialect.MYSQL.url("127.0.0.1", port, "mysql", false), "root", "");

    assertThatThrownBy(() -> reader.committedSince(noTable, Instant.EPOCH))
        .isInstanceOf(RefusedException.class)
        .hasMessageContaining("SQLState 42");
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("install.log").toFile())
            .start();
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      p.destroyForcibly();
      throw new IllegalStateException(
          command.get(0) + " failed: " + Files.readString(dir.resolve("install.log")));
    }
  }

  private static void awaitPort(Duration timeout) throws InterruptedException, IOException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!server.isAlive()) {
        throw new IllegalStateException(
            "mariadbd exited: " + Files.readString(dir.resolve("server.log")));
      }
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new IllegalStateException("mariadbd did not listen on " + port + " within " + timeout);
  }
}
