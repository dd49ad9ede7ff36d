package io.tradingdr.service.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.region.RegionRole;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServiceConfigTest {

  private static Map<String, String> minimal() {
    Map<String, String> env = new HashMap<>();
    env.put("TDR_REGION", "region-a");
    env.put("TDR_DB_URL", "jdbc:postgresql://127.0.0.1:5432/orders");
    env.put("TDR_DB_USER", "trader");
    env.put("TDR_DYNAMODB_ENDPOINT", "http://127.0.0.1:8000");
    env.put("TDR_WRITE_ROLE", "WRITER");
    env.put("TDR_WRITE_EPOCH", "3");
    return env;
  }

  @Test
  void fromEnvironment_appliesDocumentedDefaults() {
    ServiceConfig config = ServiceConfig.fromEnvironment(minimal());

    assertThat(config.httpHost()).isEqualTo("0.0.0.0");
    assertThat(config.httpPort()).isEqualTo(8080);
    assertThat(config.sessionsTable()).isEqualTo("trading-sessions");
    assertThat(config.awsRegion()).isEqualTo("us-east-1");
    assertThat(config.dbPoolSize()).isEqualTo(10);
    assertThat(config.writeRole()).contains(RegionRole.WRITER);
    assertThat(config.writeEpoch().value()).isEqualTo(3);
  }

  @Test
  void fromEnvironment_namesEveryMissingVariable() {
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TDR_REGION is required")
        .hasMessageContaining("TDR_DB_URL is required")
        .hasMessageContaining("TDR_DB_USER is required")
        .hasMessageContaining("TDR_AWS_REGION is required")
        .hasMessageContaining("TDR_WRITE_ROLE is required: WRITER or STANDBY");
  }

  @Test
  void fromEnvironment_refusesInvalidValues_withTheAllowedOnes() {
    Map<String, String> env = minimal();
    env.put("TDR_WRITE_ROLE", "PRIMARY");
    env.put("TDR_HTTP_PORT", "70000");
    env.put("TDR_DB_URL", "jdbc:oracle:thin:@x");
    env.put("TDR_REGION", "Region A");

    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(env))
        .hasMessageContaining("TDR_WRITE_ROLE='PRIMARY' is invalid: expected WRITER or STANDBY")
        .hasMessageContaining("TDR_HTTP_PORT='70000' is invalid: expected an integer 0-65535")
        .hasMessageContaining(
            "TDR_DB_URL='jdbc:oracle:thin:@x' is invalid: expected a PostgreSQL JDBC URL")
        .hasMessageContaining("TDR_REGION='Region A' is invalid");
  }

  @Test
  void fromEnvironment_writerNeedsAnEpoch_standbyDefaultsToZero() {
    Map<String, String> writer = minimal();
    writer.remove("TDR_WRITE_EPOCH");
    Map<String, String> standby = minimal();
    standby.put("TDR_WRITE_ROLE", "STANDBY");
    standby.remove("TDR_WRITE_EPOCH");

    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(writer))
        .hasMessageContaining("TDR_WRITE_EPOCH is required");
    assertThat(ServiceConfig.fromEnvironment(standby).writeEpoch().value()).isZero();
  }

  @Test
  void fromEnvironment_controlTableReplacesTheConfiguredRole() {
    Map<String, String> env = minimal();
    env.remove("TDR_WRITE_ROLE");
    env.remove("TDR_WRITE_EPOCH");
    env.put("TDR_CONTROL_TABLE", "trading-control");

    ServiceConfig config = ServiceConfig.fromEnvironment(env);

    assertThat(config.controlTable()).contains("trading-control");
    assertThat(config.writeRole()).isEmpty();
  }

  @Test
  void fromEnvironment_leaseSettingsDefaultToTheOrchestrators() {
    Map<String, String> env = minimal();
    env.put("TDR_CONTROL_TABLE", "trading-control");
    env.put("TDR_AWS_REGION", "eu-west-1");

    ServiceConfig config = ServiceConfig.fromEnvironment(env);

    OrchestratorConfig orchestrator = OrchestratorConfig.defaults();
    assertThat(config.writeLeaseTtl()).isEqualTo(orchestrator.writeLeaseTtl()).hasSeconds(10);
    assertThat(config.writeLeaseSafetyMargin())
        .isEqualTo(orchestrator.writeLeaseSafetyMargin())
        .hasSeconds(2);
    assertThat(config.controlRegion()).isEqualTo("eu-west-1");
    assertThat(config.controlEndpoint()).isEmpty();
  }

  @Test
  void fromEnvironment_readsLeaseSettings_inTheOrchestratorsDurationSyntax() {
    Map<String, String> env = minimal();
    env.put("TDR_CONTROL_TABLE", "trading-control");
    env.put("TDR_CONTROL_REGION", "us-west-2");
    env.put("TDR_CONTROL_ENDPOINT", "http://127.0.0.1:8001");
    env.put("TDR_WRITE_LEASE_TTL", "3s");
    env.put("TDR_WRITE_LEASE_SAFETY_MARGIN", "PT0.5S");

    ServiceConfig config = ServiceConfig.fromEnvironment(env);

    assertThat(config.writeLeaseTtl()).isEqualTo(Duration.ofSeconds(3));
    assertThat(config.writeLeaseSafetyMargin()).isEqualTo(Duration.ofMillis(500));
    assertThat(config.controlRegion()).isEqualTo("us-west-2");
    assertThat(config.controlEndpoint()).contains(URI.create("http://127.0.0.1:8001"));
    assertThat(config.toString()).contains("lease on trading-control (ttl 3s, margin 500ms)");
  }

  @Test
  void fromEnvironment_refusesLeaseSettingsOutOfRange_namingTheVariableAndTheAllowedValues() {
    Map<String, String> badTtl = minimal();
    badTtl.put("TDR_WRITE_LEASE_TTL", "500ms");
    badTtl.put("TDR_WRITE_LEASE_SAFETY_MARGIN", "soon");
    badTtl.put("TDR_CONTROL_REGION", "mars");
    Map<String, String> badMargin = minimal();
    badMargin.put("TDR_WRITE_LEASE_TTL", "4s");
    badMargin.put("TDR_WRITE_LEASE_SAFETY_MARGIN", "2s");

    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(badTtl))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TDR_WRITE_LEASE_TTL='500ms' is invalid: expected a duration from 1s")
        .hasMessageContaining(
            "TDR_WRITE_LEASE_SAFETY_MARGIN='soon' is invalid: expected a duration")
        .hasMessageContaining("TDR_CONTROL_REGION='mars' is invalid");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(badMargin))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(
            "TDR_WRITE_LEASE_SAFETY_MARGIN=2s is invalid: expected less than half of"
                + " TDR_WRITE_LEASE_TTL=4s (below 2s)");
  }

  @Test
  void fromEnvironment_refusesAnInvalidControlTableName_withoutAskingForAWriteRole() {
    Map<String, String> env = minimal();
    env.remove("TDR_WRITE_ROLE");
    env.remove("TDR_WRITE_EPOCH");
    env.put("TDR_CONTROL_TABLE", "bad table!");

    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(env))
        .hasMessageContaining(
            "TDR_CONTROL_TABLE='bad table!' is invalid: expected a DynamoDB table")
        .hasMessageNotContaining("TDR_WRITE_ROLE");
  }

  @Test
  void toString_neverShowsThePassword() {
    Map<String, String> env = minimal();
    env.put("TDR_DB_PASSWORD", "s3cret-value");

    assertThat(ServiceConfig.fromEnvironment(env).toString()).doesNotContain("s3cret-value");
  }

  @Test
  void orderStore_defaultsToTheDbUrlsScheme() {
    Map<String, String> mysql = minimal();
    mysql.put("TDR_DB_URL", "jdbc:mysql://127.0.0.1:3306/orders");

    assertThat(ServiceConfig.fromEnvironment(minimal()).orderStore())
        .isEqualTo(OrderStoreKind.POSTGRESQL);
    assertThat(ServiceConfig.fromEnvironment(mysql).orderStore()).isEqualTo(OrderStoreKind.MYSQL);
  }

  @Test
  void orderStore_dynamodbNeedsOnlyTheOrdersTable_noDatabaseUser() {
    Map<String, String> env = minimal();
    env.remove("TDR_DB_URL");
    env.remove("TDR_DB_USER");
    env.put("TDR_ORDER_STORE", "dynamodb");
    env.put("TDR_ORDERS_TABLE", "trading-orders-dev");
    Map<String, String> implied = new HashMap<>(env);
    implied.remove("TDR_ORDER_STORE");

    ServiceConfig config = ServiceConfig.fromEnvironment(env);

    assertThat(config.orderStore()).isEqualTo(OrderStoreKind.DYNAMODB);
    assertThat(config.ordersTable()).contains("trading-orders-dev");
    assertThat(config.dbUrl()).isEmpty();
    assertThat(config.toString()).contains("orders=dynamodb trading-orders-dev");
    assertThat(ServiceConfig.fromEnvironment(implied).orderStore())
        .isEqualTo(OrderStoreKind.DYNAMODB);
  }

  @Test
  void orderStore_refusesContradictions_namingTheVariablesAndTheAllowedValues() {
    Map<String, String> dynamoWithUrl = minimal();
    dynamoWithUrl.put("TDR_ORDER_STORE", "dynamodb");
    dynamoWithUrl.put("TDR_ORDERS_TABLE", "trading-orders");
    Map<String, String> mysqlWithPostgresUrl = minimal();
    mysqlWithPostgresUrl.put("TDR_ORDER_STORE", "mysql");
    Map<String, String> unknown = minimal();
    unknown.put("TDR_ORDER_STORE", "oracle");
    Map<String, String> dynamoWithoutTable = minimal();
    dynamoWithoutTable.remove("TDR_DB_URL");
    dynamoWithoutTable.put("TDR_ORDER_STORE", "dynamodb");
    Map<String, String> postgresWithTable = minimal();
    postgresWithTable.put("TDR_ORDERS_TABLE", "trading-orders");

    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(dynamoWithUrl))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TDR_DB_URL must not be set with TDR_ORDER_STORE=dynamodb");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(mysqlWithPostgresUrl))
        .hasMessageContaining(
            "TDR_DB_URL='jdbc:postgresql://127.0.0.1:5432/orders' is invalid: expected a JDBC URL"
                + " jdbc:mysql://host:port/database for TDR_ORDER_STORE=mysql");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(unknown))
        .hasMessageContaining(
            "TDR_ORDER_STORE='oracle' is invalid: expected postgresql, mysql or dynamodb");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(dynamoWithoutTable))
        .hasMessageContaining("TDR_ORDERS_TABLE is required");
    assertThatThrownBy(() -> ServiceConfig.fromEnvironment(postgresWithTable))
        .hasMessageContaining("TDR_ORDERS_TABLE is only for TDR_ORDER_STORE=dynamodb");
  }
}
