package io.tradingdr.service;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.aws.dynamodb.ControlTableSchema;
import io.tradingdr.aws.dynamodb.DynamoDbControlStore;
import io.tradingdr.core.fence.WriteLease;
import io.tradingdr.core.fence.WriteRefusedException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.procs.FreePorts;
import io.tradingdr.service.config.ServiceConfig;
import io.tradingdr.service.fence.DynamoDbLeaseFence;
import java.net.URI;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The service behind the control-store write lease, over real HTTP, PostgreSQL and DynamoDB Local:
 * the orchestrator's side is a second {@link DynamoDbControlStore} on the same table.
 */
class LeaseWriteFenceApiTest {

  static final RegionId REGION_A = RegionId.of("region-a");
  static final Duration TTL = Duration.ofSeconds(3);

  private static DynamoDbClient orchestratorClient;
  private static DynamoDbControlStore orchestrator;
  private static String controlTable;

  @BeforeAll
  static void createControlTable() {
    orchestratorClient =
        DynamoDbClient.builder()
            .region(Region.US_EAST_1)
            .endpointOverride(TestStores.dynamoDb().endpoint())
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build();
    controlTable = TestStores.newTableName("control");
    ControlTableSchema.createTable(orchestratorClient, controlTable);
    orchestrator = new DynamoDbControlStore(orchestratorClient, controlTable, Clock.systemUTC());
  }

  @AfterAll
  static void closeClient() {
    orchestratorClient.close();
  }

  private static Map<String, String> leaseEnvironment(URI controlEndpoint) {
    Map<String, String> env = new HashMap<>();
    env.put("TDR_CONTROL_TABLE", controlTable);
    env.put("TDR_CONTROL_ENDPOINT", controlEndpoint.toString());
    env.put("TDR_WRITE_LEASE_TTL", "3s");
    env.put("TDR_WRITE_LEASE_SAFETY_MARGIN", "500ms");
    return env;
  }

  private static String order(String clientOrderId, String account) {
    return "{\"clientOrderId\":\""
        + clientOrderId
        + "\",\"accountId\":\""
        + account
        + "\",\"symbol\":\"AAPL\",\"side\":\"BUY\",\"type\":\"MARKET\",\"quantity\":1}";
  }

  @Test
  void writesFollowTheLease_grantedAdmits_revokedRefuses_grantedAgainAdmitsAtTheNewEpoch() {
    WriteLease granted = orchestrator.grant(REGION_A, orchestrator.read().epoch(), TTL);
    try (RunningService service =
        RunningService.start(leaseEnvironment(TestStores.dynamoDb().endpoint()))) {
      DynamoDbLeaseFence fence = (DynamoDbLeaseFence) service.fence;
      String session = service.session("acct-l");

      // Given the lease is granted to this region: admitted at startup, at the lease's epoch.
      HttpResponse<String> accepted = service.postJson("/orders", session, order("l-1", "acct-l"));
      assertThat(accepted.statusCode()).isEqualTo(201);
      assertThat(RunningService.json(accepted).get("epoch").asLong())
          .isEqualTo(granted.epoch().value());

      // When the orchestrator fences the region, the next renewal stops the writes.
      WriteLease revoked = orchestrator.revoke(granted.epoch());
      refreshUntil(fence, false);
      HttpResponse<String> refused = service.postJson("/orders", session, order("l-2", "acct-l"));

      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(refused.headers().firstValue("Retry-After")).isPresent();
      JsonNode error = RunningService.json(refused);
      assertThat(error.get("error").asText()).isEqualTo("write_refused");
      assertThat(error.get("message").asText()).startsWith("writeLease");
      assertThat(service.countOrders("clientOrderId", "l-2")).isZero();
      JsonNode readiness = RunningService.json(service.get("/health/ready", null));
      assertThat(readiness.at("/writeFence/admits").asBoolean()).isFalse();
      assertThat(readiness.at("/writeFence/reason").asText()).startsWith("writeLease");

      // When the lease is granted again, writes resume at the new epoch.
      WriteLease regranted = orchestrator.grant(REGION_A, revoked.epoch(), TTL);
      refreshUntil(fence, true);
      HttpResponse<String> resumed = service.postJson("/orders", session, order("l-2", "acct-l"));

      assertThat(regranted.epoch().value()).isGreaterThan(granted.epoch().value());
      assertThat(resumed.statusCode()).isEqualTo(201);
      assertThat(RunningService.json(resumed).get("epoch").asLong())
          .isEqualTo(regranted.epoch().value());
      assertThat(
              RunningService.json(service.get("/health/ready", null))
                  .at("/writeFence/epoch")
                  .asLong())
          .isEqualTo(regranted.epoch().value());
    } finally {
      WriteLease current = orchestrator.read();
      if (current.holder().isPresent()) {
        orchestrator.revoke(current.epoch());
      }
    }
  }

  @Test
  void unreachableControlStoreAtStartup_isNotFatal_theFenceRefusesWithItsReason() {
    URI nothingListens = URI.create("http://127.0.0.1:" + FreePorts.pick());
    try (RunningService service = RunningService.start(leaseEnvironment(nothingListens))) {
      String session = service.session("acct-u");

      HttpResponse<String> refused = service.postJson("/orders", session, order("u-1", "acct-u"));

      assertThat(refused.statusCode()).isEqualTo(503);
      assertThat(RunningService.json(refused).get("message").asText())
          .startsWith("writeLease: renewal failing");
      assertThat(service.orderRows()).isZero();
      JsonNode readiness = RunningService.json(service.get("/health/ready", null));
      assertThat(readiness.at("/status").asText()).isEqualTo("READY");
      assertThat(readiness.at("/writeFence/reason").asText()).startsWith("writeLease");
    }
  }

  /**
   * Drives renewals until the fence admits (or refuses). More than one only when a background
   * renewal sent before the orchestrator's change lands after ours; bounded by two TTLs.
   */
  private static void refreshUntil(DynamoDbLeaseFence fence, boolean admits) {
    long deadline = System.nanoTime() + TTL.multipliedBy(2).toNanos();
    do {
      fence.refresh();
      if (admitsNow(fence) == admits) {
        return;
      }
    } while (System.nanoTime() < deadline);
    throw new AssertionError("the fence never " + (admits ? "admitted" : "refused"));
  }

  private static boolean admitsNow(DynamoDbLeaseFence fence) {
    try {
      fence.admit();
      return true;
    } catch (WriteRefusedException e) {
      return false;
    }
  }

  @Test
  void runtimeClose_stopsTheRenewalThread() throws InterruptedException {
    Map<String, String> env =
        new HashMap<>(RunningService.environment(TestStores.newDatabase("orders")));
    env.putAll(leaseEnvironment(TestStores.dynamoDb().endpoint()));
    env.put("TDR_REGION", "region-c");
    ServiceConfig config = ServiceConfig.fromEnvironment(env);
    String renewalThread = DynamoDbLeaseFence.threadName(config);

    TradingServiceRuntime runtime = TradingServiceRuntime.start(config, Clock.systemUTC());
    Thread renewals =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().equals(renewalThread))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no thread " + renewalThread));
    assertThat(renewals.isDaemon()).isTrue();

    runtime.close();
    renewals.join(Duration.ofSeconds(10));

    assertThat(renewals.isAlive()).isFalse();
  }
}
