package io.tradingdr.procs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class MariaDbNodeTest {

  private static MariaDbNode node;

  @BeforeAll
  static void start() {
    RunDirectory run = RunDirectory.temporary("procs-mariadb-test-").deleteOnExit();
    node =
        MariaDbNode.builder()
            .name("mariadb-test")
            .dataDir(run.resolve("data"))
            .runDirectory(run)
            .build()
            .initdb()
            .start();
    node.createDatabase("shop");
    node.createApplicationUser("app");
  }

  @AfterAll
  static void stop() {
    node.close();
  }

  private static Connection connect(String user) throws SQLException {
    return DriverManager.getConnection(node.jdbcUrl("shop"), user, "");
  }

  @Test
  void start_servesSqlOnLoopback_fromTheProcessItStarted() throws SQLException {
    try (Connection c = connect("root");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select version(), @@port, @@bind_address")) {
      rs.next();
      assertThat(rs.getString(1)).contains("MariaDB");
      assertThat(rs.getInt(2)).isEqualTo(node.port());
      assertThat(rs.getString(3)).isEqualTo("127.0.0.1");
    }
    assertThat(ProcessHandle.of(node.pid())).isPresent();
  }

  @Test
  void readOnly_refusesTheApplicationUsersWritesWithError1290() throws SQLException {
    try (Connection c = connect("app");
        Statement s = c.createStatement()) {
      s.execute("create table if not exists t (id int primary key)");
      node.execute("SET GLOBAL read_only = ON");
      try {
        assertThatThrownBy(() -> s.executeUpdate("insert into t values (1)"))
            .isInstanceOfSatisfying(
                SQLException.class, e -> assertThat(e.getErrorCode()).isEqualTo(1290));
      } finally {
        node.execute("SET GLOBAL read_only = OFF");
      }
      assertThat(s.executeUpdate("insert into t values (2)")).isEqualTo(1);
    }
  }

  @Test
  void stop_endsTheServerByItsPid() {
    RunDirectory run = RunDirectory.temporary("procs-mariadb-stop-").deleteOnExit();
    MariaDbNode second =
        MariaDbNode.builder()
            .name("mariadb-stop")
            .dataDir(run.resolve("data"))
            .runDirectory(run)
            .build()
            .initdb()
            .start();
    ProcessHandle process = ProcessHandle.of(second.pid()).orElseThrow();

    second.stop();

    assertThat(process.isAlive()).isFalse();
    assertThat(second.isRunning()).isFalse();
  }
}
