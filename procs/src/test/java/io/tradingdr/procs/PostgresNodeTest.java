package io.tradingdr.procs;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresNodeTest {

  private static RunDirectory run;
  private static PostgresNode primary;

  @BeforeAll
  static void startPrimary() {
    run = RunDirectory.temporary("procs-pg-test-").deleteOnExit();
    primary =
        PostgresNode.builder()
            .dataDir(run.resolve("primary"))
            .runDirectory(run)
            .clusterName("region_a")
            .setting("max_wal_senders", "4")
            .build()
            .initdb()
            .start();
  }

  @AfterAll
  static void stopPrimary() {
    primary.close();
  }

  @Test
  void start_servesSqlOnLoopback_withClusterNameAndWalLogHints() throws SQLException {
    try (Connection c = connect(primary);
        Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery(
                "select current_setting('cluster_name'), current_setting('wal_log_hints'),"
                    + " inet_server_addr()::text")) {
      rs.next();
      assertThat(rs.getString(1)).isEqualTo("region_a");
      assertThat(rs.getString(2)).isEqualTo("on");
      assertThat(rs.getString(3)).startsWith("127.0.0.1");
    }
    assertThat(primary.port()).isPositive();
    assertThat(ProcessHandle.of(primary.pid())).isPresent();
  }

  @Test
  void createDatabase_makesAnEmptyDatabase() throws SQLException {
    primary.createDatabase("orders_test");

    try (Connection c =
        DriverManager.getConnection(primary.jdbcUrl("orders_test"), primary.superuser(), "")) {
      assertThat(c.getCatalog()).isEqualTo("orders_test");
    }
  }

  @Test
  void kill9_endsThePostmaster_andRestartRecoversCommittedRows() throws SQLException {
    PostgresNode node =
        PostgresNode.builder().dataDir(run.resolve("crashy")).runDirectory(run).build().initdb();
    try (node) {
      node.start();
      try (Connection c = connect(node);
          Statement s = c.createStatement()) {
        s.execute("create table t(id int primary key)");
        s.execute("insert into t values (42)");
      }
      long pid = node.pid();
      int port = node.port();

      node.kill9();

      assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
      assertThat(node.isRunning()).isFalse();
      node.start();
      assertThat(node.port()).isEqualTo(port);
      try (Connection c = connect(node);
          Statement s = c.createStatement();
          ResultSet rs = s.executeQuery("select count(*) from t where id = 42")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(1);
      }
    }
  }

  @Test
  void stop_endsThePostmasterByPid_andIsIdempotent() {
    PostgresNode node =
        PostgresNode.builder().dataDir(run.resolve("stoppy")).runDirectory(run).build().initdb();
    node.start();
    long pid = node.pid();

    node.stop();
    node.stop();

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).isNotEqualTo(Optional.of(true));
    assertThat(node.isRunning()).isFalse();
  }

  @Test
  void tools_buildAStreamingStandby_thatPromotes() throws SQLException {
    PostgresNode standby =
        PostgresNode.builder()
            .tools(primary.tools())
            .dataDir(run.resolve("standby"))
            .clusterName("region_b")
            .build();
    standby.prepareDataDirectory();
    primary
        .tools()
        .run(
            "pg_basebackup",
            List.of(
                "-D",
                standby.dataDir().toString(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "-d",
                primary.conninfo("postgres")),
            Duration.ofSeconds(60));
    try (standby) {
      standby.start();
      assertThat(inRecovery(standby)).isTrue();

      standby.promote();

      assertThat(inRecovery(standby)).isFalse();
    }
  }

  private static boolean inRecovery(PostgresNode node) throws SQLException {
    try (Connection c = connect(node);
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select pg_is_in_recovery()")) {
      rs.next();
      return rs.getBoolean(1);
    }
  }

  private static Connection connect(PostgresNode node) throws SQLException {
    return DriverManager.getConnection(node.jdbcUrl("postgres"), node.superuser(), "");
  }
}
