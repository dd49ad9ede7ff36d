package io.tradingdr.local.db;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.port.PromotionMode;
import io.tradingdr.core.port.ReplicationStatus;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.port.Watermark;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.procs.PostgresNode;
import io.tradingdr.procs.PostgresTools;
import io.tradingdr.procs.RunDirectory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * One real pair of PostgreSQL nodes for the class, taken through a whole life: streaming, fenced
 * switchover, split brain and rewind, crash of the writer and rejoin after the crash. The steps
 * build on each other, so they run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PostgresStreamingReplicationTest {

  private static final RegionId A = RegionId.of("region-a");
  private static final RegionId B = RegionId.of("region-b");
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir static Path dir;
  private static Map<RegionId, PostgresNode> nodes;
  private static PostgresStreamingReplication replication;

  @BeforeAll
  static void startPair() throws Exception {
    // As root the nodes run as 'postgres', which must be able to enter the temporary directory.
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    PostgresTools tools = PostgresTools.create(RunDirectory.at(dir));
    nodes = new LinkedHashMap<>();
    for (RegionId region : List.of(A, B)) {
      nodes.put(
          region,
          PostgresNode.builder()
              .tools(tools)
              .dataDir(dir.resolve("pg").resolve(region.value()))
              .clusterName(region.value())
              .settings(PostgresStreamingReplication.nodeSettings())
              .build());
    }
    replication =
        PostgresStreamingReplication.setUp(
            nodes, A, PostgresStreamingReplication.Mode.SYNC, TIMEOUT);
    execute(A, "CREATE TABLE orders (id bigint PRIMARY KEY, note text)");
  }

  @AfterAll
  static void stopPair() {
    if (nodes != null) {
      nodes.values().forEach(PostgresNode::stop);
      nodes.values().forEach(n -> assertThat(n.isRunning()).isFalse());
    }
  }

  @Test
  @Order(1)
  void status_reportsWriterStandbyAndZeroLag_whenStreamingSynchronously() {
    execute(A, "INSERT INTO orders VALUES (1, 'first')");

    ReplicationStatus status = replication.status();

    assertThat(status.writer()).contains(A);
    assertThat(status.standby()).isEqualTo(B);
    assertThat(status.synchronous()).isTrue();
    assertThat(status.lag()).contains(Duration.ZERO);
    assertThat(
            status
                .standbyWatermark()
                .orElseThrow()
                .hasReached(status.writerWatermark().orElseThrow()))
        .isTrue();
    replication.awaitCaughtUp(B, TIMEOUT);
    assertThat(count(B)).isEqualTo(1);
  }

  @Test
  @Order(2)
  void fenceWriter_makesNewSessionsReadOnly_andTerminatesOpenClientSessions() throws Exception {
    try (Connection open = connect(A)) {
      replication.fenceWriter(A);

      assertThatThrownBy(() -> open.createStatement().execute("SELECT 1"))
          .isInstanceOf(SQLException.class);
    }
    assertThatThrownBy(() -> execute(A, "INSERT INTO orders VALUES (2, 'refused')"))
        .hasMessageContaining("read-only");
    replication.fenceWriter(A);
  }

  @Test
  @Order(3)
  void plannedPromotion_switchesTheWriterWithoutLoss_andTheOldWriterBecomesItsStandby() {
    Watermark caughtUp = replication.awaitCaughtUp(B, TIMEOUT);

    long start = System.nanoTime();
    replication.promote(B, PromotionMode.NO_DATA_LOSS, TIMEOUT);
    long promotedMillis = (System.nanoTime() - start) / 1_000_000;
    replication.promote(B, PromotionMode.NO_DATA_LOSS, TIMEOUT);

    System.out.println(
        "planned promotion (pg_promote, then the old writer rewound into a standby) took "
            + promotedMillis
            + " ms");
    assertThat(caughtUp.sequence()).isPositive();
    execute(B, "INSERT INTO orders VALUES (3, 'on b')");
    ReplicationStatus status = replication.status();
    assertThat(status.writer()).contains(B);
    assertThat(status.standby()).isEqualTo(A);
    assertThat(status.synchronous()).isTrue();
    replication.awaitCaughtUp(A, TIMEOUT);
    assertThat(ids(A)).containsExactly(1L, 3L);
  }

  @Test
  @Order(4)
  void rejoinAsStandby_rewindsTheLosingSideOfASplitBrain_discardingWhatOnlyItHad() {
    long start = System.nanoTime();
    replication.promote(A, PromotionMode.ALLOW_DATA_LOSS, TIMEOUT);
    System.out.println(
        "unplanned promotion (pg_promote) took " + (System.nanoTime() - start) / 1_000_000 + " ms");
    // Split brain: B still runs as a primary; a session there skips waiting for its lost standby.
    execute(B, "SET synchronous_commit = local", "INSERT INTO orders VALUES (99, 'split')");
    execute(A, "INSERT INTO orders VALUES (4, 'on a')");
    assertThat(replication.status().writer()).as("the newest timeline wins").contains(A);

    start = System.nanoTime();
    replication.rejoinAsStandby(B, A, TIMEOUT);
    System.out.println(
        "rejoin (CHECKPOINT, pg_rewind, start, streaming) took "
            + (System.nanoTime() - start) / 1_000_000
            + " ms");

    ReplicationStatus status = replication.status();
    assertThat(status.writer()).contains(A);
    assertThat(status.standby()).isEqualTo(B);
    replication.awaitCaughtUp(B, TIMEOUT);
    assertThat(ids(B)).containsExactly(1L, 3L, 4L);
    replication.rejoinAsStandby(B, A, TIMEOUT);
  }

  @Test
  @Order(5)
  void afterAWriterCrash_statusHasNoWriter_promoteAllowingLoss_andRejoinAfterTheCrash() {
    nodes.get(A).kill9();

    ReplicationStatus down = replication.status();
    assertThat(down.writer()).isEmpty();
    assertThat(down.standby()).isEqualTo(B);
    assertThat(down.writerWatermark()).isEmpty();
    assertThat(down.lag()).isPresent();
    assertThatThrownBy(() -> replication.fenceWriter(A)).isInstanceOf(UnreachableException.class);

    replication.promote(B, PromotionMode.ALLOW_DATA_LOSS, TIMEOUT);
    execute(B, "INSERT INTO orders VALUES (5, 'b again')");
    long start = System.nanoTime();
    replication.rejoinAsStandby(A, B, TIMEOUT);
    System.out.println(
        "rejoin after a crash (single-user recovery, pg_rewind, start) took "
            + (System.nanoTime() - start) / 1_000_000
            + " ms");

    assertThat(replication.status().writer()).contains(B);
    replication.awaitCaughtUp(A, TIMEOUT);
    assertThat(ids(A)).containsExactly(1L, 3L, 4L, 5L);
  }

  @Test
  @Order(6)
  void cutWalReceiver_losesWhatTheWriterCommitsAfter_andStartReadOnlyKeepsItReadableUntilRejoin() {
    assertThat(replication.streamLag())
        .hasValueSatisfying(
            s -> {
              assertThat(s.writer()).isEqualTo(B);
              assertThat(s.standby()).isEqualTo(A);
              assertThat(s.replay()).isPresent();
            });

    String conninfo = replication.cutWalReceiver(A, TIMEOUT);
    // The standby no longer confirms: this session commits without waiting for it.
    execute(B, "SET synchronous_commit = local", "INSERT INTO orders VALUES (6, 'never sent')");
    assertThat(replication.streamLag()).as("no standby streams").isEmpty();
    nodes.get(B).kill9();
    replication.promote(A, PromotionMode.ALLOW_DATA_LOSS, TIMEOUT);
    replication.startReadOnly(B, TIMEOUT);

    assertThat(ids(A)).containsExactly(1L, 3L, 4L, 5L);
    assertThat(ids(B)).as("the old writer, readable").containsExactly(1L, 3L, 4L, 5L, 6L);
    assertThatThrownBy(() -> execute(B, "INSERT INTO orders VALUES (7, 'refused')"))
        .hasMessageContaining("read-only");
    assertThat(replication.status().writer()).contains(A);

    replication.reconnectWalReceiver(A, conninfo, TIMEOUT);
    replication.rejoinAsStandby(B, A, TIMEOUT);
    replication.awaitCaughtUp(B, TIMEOUT);
    assertThat(ids(B)).containsExactly(1L, 3L, 4L, 5L);
  }

  private static Connection connect(RegionId region) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", "postgres");
    return DriverManager.getConnection(nodes.get(region).jdbcUrl("postgres"), props);
  }

  /** Runs each statement in turn on one session (each in its own transaction). */
  private static void execute(RegionId region, String... statements) {
    try (Connection c = connect(region);
        Statement st = c.createStatement()) {
      for (String sql : statements) {
        st.execute(sql);
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  private static long count(RegionId region) {
    return ids(region).size();
  }

  private static List<Long> ids(RegionId region) {
    List<Long> ids = new ArrayList<>();
    try (Connection c = connect(region);
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT id FROM orders ORDER BY id")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    } catch (SQLException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
    return ids;
  }
}
