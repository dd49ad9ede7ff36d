package io.tradingdr.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.procs.PostgresNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The service on a streaming-replica standby: reads work, writes are refused, lag is reported. */
class StandbyDatabaseTest {

  private static RunningService primary;
  private static PostgresNode standbyNode;
  private static RunningService onStandby;

  @BeforeAll
  static void start() {
    primary = RunningService.start(Map.of());
    String session = primary.session("acct-sb");
    primary.postJson(
        "/orders",
        session,
        "{\"clientOrderId\":\"sb-1\",\"accountId\":\"acct-sb\",\"symbol\":\"AAPL\","
            + "\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":2}");
    PostgresNode source = TestStores.postgres();
    standbyNode =
        PostgresNode.builder()
            .tools(source.tools())
            .dataDir(
                source.tools().runDirectory().resolve("standby-" + ProcessHandle.current().pid()))
            .clusterName("service_standby")
            .build();
    standbyNode.prepareDataDirectory();
    source
        .tools()
        .run(
            "pg_basebackup",
            List.of(
                "-D",
                standbyNode.dataDir().toString(),
                "-R",
                "-X",
                "stream",
                "-c",
                "fast",
                "-d",
                source.conninfo("postgres")),
            Duration.ofSeconds(60));
    standbyNode.start();
    String database = primary.jdbcUrl.substring(primary.jdbcUrl.lastIndexOf('/') + 1);
    // A writer by configuration: only the database itself refuses the write.
    onStandby =
        RunningService.onDatabase(
            standbyNode.jdbcUrl(database),
            Map.of("TDR_SESSIONS_TABLE", primary.config.sessionsTable()));
  }

  @AfterAll
  static void stop() {
    onStandby.close();
    standbyNode.close();
    primary.close();
  }

  @Test
  void startup_skipsMigrationsOnAStandby() {
    assertThat(onStandby.migrated).isFalse();
  }

  @Test
  void ready_reportsStandbyModeAndReplicationLag() {
    HttpResponse<String> ready = onStandby.get("/health/ready", null);

    assertThat(ready.statusCode()).isEqualTo(200);
    JsonNode report = RunningService.json(ready);
    assertThat(report.at("/database/mode").asText()).isEqualTo("STANDBY");
    assertThat(report.at("/database/writable").asBoolean()).isFalse();
    assertThat(report.at("/database").has("replicationLagSeconds")).isTrue();
  }

  @Test
  void writes_areRefusedWith503ReadOnly_whileReplicatedReadsWork() {
    String session = onStandby.session("acct-sb");

    HttpResponse<String> write =
        onStandby.postJson(
            "/orders",
            session,
            "{\"clientOrderId\":\"sb-2\",\"accountId\":\"acct-sb\",\"symbol\":\"AAPL\","
                + "\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":1}");
    HttpResponse<String> list = onStandby.get("/orders?accountId=acct-sb", session);

    assertThat(write.statusCode()).isEqualTo(503);
    assertThat(RunningService.json(write).get("error").asText()).isEqualTo("database_read_only");
    assertThat(write.headers().firstValue("Retry-After")).isPresent();
    assertThat(list.statusCode()).isEqualTo(200);
    assertThat(RunningService.json(list).get("orders")).hasSize(1);
  }
}
