package io.tradingdr.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.core.fence.WriteFence;
import io.tradingdr.core.region.RegionRole;
import io.tradingdr.service.api.Json;
import io.tradingdr.service.api.TradingApi;
import io.tradingdr.service.config.ServiceConfig;
import io.tradingdr.service.db.Database;
import io.tradingdr.service.db.Migrations;
import io.tradingdr.service.fence.ConfiguredWriteFence;
import io.tradingdr.service.fence.DynamoDbLeaseFence;
import io.tradingdr.service.health.ReadinessCheck;
import io.tradingdr.service.metrics.ServiceMetrics;
import io.tradingdr.service.orders.OrderService;
import io.tradingdr.service.orders.PostgresOrderRepository;
import io.tradingdr.service.sessions.DynamoDbSessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.Security;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * Builds the service's collaborators once from a {@link ServiceConfig}: pool and migrations, the
 * DynamoDB client, the write fence, metrics and the {@link TradingApi}. Used by the HTTP main and
 * by the Lambda handlers' no-arg constructors.
 */
public final class TradingServiceRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TradingServiceRuntime.class);

  private final Database database;
  private final DynamoDbClient dynamoDb;
  private final WriteFence fence;
  private final ServiceMetrics metrics;
  private final TradingApi api;

  private TradingServiceRuntime(
      Database database,
      DynamoDbClient dynamoDb,
      WriteFence fence,
      ServiceMetrics metrics,
      TradingApi api) {
    this.database = database;
    this.dynamoDb = dynamoDb;
    this.fence = fence;
    this.metrics = metrics;
    this.api = api;
  }

  /**
   * Caps the JVM's DNS cache at 5 s (negative answers 1 s) so that new database connections resolve
   * a failed-over endpoint within seconds (see {@link Database} for the pool side). Must run before
   * the first name lookup; {@code TradingServiceMain} calls it first thing.
   */
  public static void configureDnsCache() {
    Security.setProperty("networkaddress.cache.ttl", "5");
    Security.setProperty("networkaddress.cache.negative.ttl", "1");
  }

  /** Connects, migrates (on a writable database) and wires everything. */
  public static TradingServiceRuntime start(ServiceConfig config, Clock clock) {
    String[] credentials = databaseCredentials(config);
    Database database =
        Database.connect(
            config.dbUrl(),
            credentials[0],
            credentials[1],
            config.dbPoolSize(),
            "trading-" + config.region());
    DynamoDbClient dynamoDb = null;
    WriteFence fence = null;
    try {
      fence = fence(config, clock);
      Migrations.migrateIfWritable(database.dataSource());
      dynamoDb = dynamoDbClient(config);
      DynamoDbSessionStore sessions =
          new DynamoDbSessionStore(
              dynamoDb, config.sessionsTable(), config.region().value(), clock);
      if (config.dynamoDbEndpoint().isPresent()) {
        // DynamoDB Local starts empty; in AWS the global table belongs to the infrastructure.
        sessions.createTableIfMissing();
      }
      ServiceMetrics metrics = ServiceMetrics.prometheus();
      TradingApi api = wire(config, clock, database, sessions, fence, metrics);
      LOG.info("trading service wired: {} with {}", config, fence);
      return new TradingServiceRuntime(database, dynamoDb, fence, metrics, api);
    } catch (RuntimeException e) {
      database.close();
      if (dynamoDb != null) {
        dynamoDb.close();
      }
      closeFence(fence);
      throw e;
    }
  }

  /** Wires the API over given collaborators (tests, Lambda handlers' second constructors). */
  public static TradingApi wire(
      ServiceConfig config,
      Clock clock,
      Database database,
      DynamoDbSessionStore sessions,
      WriteFence fence,
      ServiceMetrics metrics) {
    OrderService orders = new OrderService(new PostgresOrderRepository(database), fence, clock);
    ReadinessCheck readiness = new ReadinessCheck(config.region(), database, sessions, fence);
    return new TradingApi(config.region(), orders, sessions, readiness, metrics);
  }

  /**
   * The control-store lease fence ({@link DynamoDbLeaseFence}, already renewed once and renewing in
   * the background) when TDR_CONTROL_TABLE is set, otherwise the configured fence from
   * TDR_WRITE_ROLE and TDR_WRITE_EPOCH. Whoever gets a lease fence closes it ({@link #closeFence}).
   */
  public static WriteFence fence(ServiceConfig config, Clock clock) {
    if (config.controlTable().isPresent()) {
      return DynamoDbLeaseFence.start(config, clock);
    }
    return new ConfiguredWriteFence(
        config.region(), config.writeRole().orElse(RegionRole.STANDBY), config.writeEpoch(), clock);
  }

  /** Stops a lease fence's renewals and closes its client; a configured fence holds nothing. */
  public static void closeFence(WriteFence fence) {
    if (fence instanceof DynamoDbLeaseFence lease) {
      lease.close();
    }
  }

  /** A DynamoDB client; the endpoint is overridden only when TDR_DYNAMODB_ENDPOINT is set. */
  public static DynamoDbClient dynamoDbClient(ServiceConfig config) {
    DynamoDbClientBuilder builder =
        DynamoDbClient.builder()
            .region(Region.of(config.awsRegion()))
            .httpClient(UrlConnectionHttpClient.create())
            .credentialsProvider(credentials(config));
    config.dynamoDbEndpoint().ifPresent(builder::endpointOverride);
    return builder.build();
  }

  private static AwsCredentialsProvider credentials(ServiceConfig config) {
    if (config.dynamoDbEndpoint().isPresent() && System.getenv("AWS_ACCESS_KEY_ID") == null) {
      // DynamoDB Local ignores credentials but the SDK insists on some.
      return StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local"));
    }
    return DefaultCredentialsProvider.builder().build();
  }

  private static String[] databaseCredentials(ServiceConfig config) {
    if (config.dbSecretArn().isEmpty()) {
      return new String[] {config.dbUser(), config.dbPassword()};
    }
    try (SecretsManagerClient secrets =
        SecretsManagerClient.builder()
            .region(Region.of(config.awsRegion()))
            .httpClient(UrlConnectionHttpClient.create())
            .build()) {
      String text =
          secrets.getSecretValue(r -> r.secretId(config.dbSecretArn().get())).secretString();
      JsonNode secret = Json.mapper().readTree(text);
      String user =
          config.dbUser().isEmpty() ? secret.path("username").asText("") : config.dbUser();
      return new String[] {user, secret.path("password").asText("")};
    } catch (IOException e) {
      throw new UncheckedIOException(
          "TDR_DB_SECRET_ARN: the secret is not JSON with username and password", e);
    }
  }

  public TradingApi api() {
    return api;
  }

  public ServiceMetrics metrics() {
    return metrics;
  }

  public Database database() {
    return database;
  }

  @Override
  public void close() {
    closeFence(fence);
    database.close();
    dynamoDb.close();
  }
}
