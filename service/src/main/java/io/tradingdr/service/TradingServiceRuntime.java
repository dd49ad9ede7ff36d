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
import io.tradingdr.service.orders.DynamoDbOrderStore;
import io.tradingdr.service.orders.DynamoDbOrdersTable;
import io.tradingdr.service.orders.MySqlOrderStore;
import io.tradingdr.service.orders.OrderService;
import io.tradingdr.service.orders.OrderStore;
import io.tradingdr.service.orders.PostgresOrderStore;
import io.tradingdr.service.sessions.DynamoDbSessionStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.Security;
import java.time.Clock;
import java.util.Optional;
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
 * Builds the service's collaborators once from a {@link ServiceConfig}: the order store
 * (TDR_ORDER_STORE: a PostgreSQL or MySQL pool with its migrations, or the DynamoDB orders table),
 * the DynamoDB client, the write fence, metrics and the {@link TradingApi}. Used by the HTTP main
 * and by the Lambda handlers' no-arg constructors, so every entry point works with every store.
 */
public final class TradingServiceRuntime implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(TradingServiceRuntime.class);

  private final Optional<Database> database;
  private final OrderStore orders;
  private final DynamoDbClient dynamoDb;
  private final WriteFence fence;
  private final ServiceMetrics metrics;
  private final TradingApi api;

  private TradingServiceRuntime(
      Optional<Database> database,
      OrderStore orders,
      DynamoDbClient dynamoDb,
      WriteFence fence,
      ServiceMetrics metrics,
      TradingApi api) {
    this.database = database;
    this.orders = orders;
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

  /** Connects, migrates (on a writable SQL database) and wires everything. */
  public static TradingServiceRuntime start(ServiceConfig config, Clock clock) {
    Database database = null;
    DynamoDbClient dynamoDb = null;
    WriteFence fence = null;
    try {
      if (config.orderStore().isSql()) {
        String[] credentials = databaseCredentials(config);
        database =
            Database.connect(
                config.dbUrl().orElseThrow(),
                credentials[0],
                credentials[1],
                config.dbPoolSize(),
                "trading-" + config.region());
      }
      fence = fence(config, clock);
      dynamoDb = dynamoDbClient(config);
      OrderStore orders;
      if (database != null) {
        Migrations.migrateIfWritable(database);
        orders = sqlOrderStore(database);
      } else {
        String table = config.ordersTable().orElseThrow();
        if (config.dynamoDbEndpoint().isPresent()) {
          // DynamoDB Local starts empty; in AWS the global table belongs to the infrastructure.
          DynamoDbOrdersTable.createIfMissing(dynamoDb, table);
        }
        orders = new DynamoDbOrderStore(dynamoDb, table, clock);
      }
      DynamoDbSessionStore sessions =
          new DynamoDbSessionStore(
              dynamoDb, config.sessionsTable(), config.region().value(), clock);
      if (config.dynamoDbEndpoint().isPresent()) {
        sessions.createTableIfMissing();
      }
      ServiceMetrics metrics = ServiceMetrics.prometheus();
      TradingApi api = wire(config, clock, orders, sessions, fence, metrics);
      LOG.info("trading service wired: {} with {}", config, fence);
      return new TradingServiceRuntime(
          Optional.ofNullable(database), orders, dynamoDb, fence, metrics, api);
    } catch (RuntimeException e) {
      if (database != null) {
        database.close();
      }
      if (dynamoDb != null) {
        dynamoDb.close();
      }
      closeFence(fence);
      throw e;
    }
  }

  /** The SQL order store for the database's engine. */
  public static OrderStore sqlOrderStore(Database database) {
    return switch (database.engine()) {
      case POSTGRESQL -> new PostgresOrderStore(database);
      case MYSQL -> new MySqlOrderStore(database);
    };
  }

  /** Wires the API over given collaborators (tests, Lambda handlers' second constructors). */
  public static TradingApi wire(
      ServiceConfig config,
      Clock clock,
      OrderStore orders,
      DynamoDbSessionStore sessions,
      WriteFence fence,
      ServiceMetrics metrics) {
    OrderService service = new OrderService(orders, fence, clock);
    ReadinessCheck readiness = new ReadinessCheck(config.region(), orders, sessions, fence);
    return new TradingApi(config.region(), service, sessions, readiness, metrics);
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

  /** The SQL pool; empty for the DynamoDB order store. */
  public Optional<Database> database() {
    return database;
  }

  public OrderStore orderStore() {
    return orders;
  }

  @Override
  public void close() {
    closeFence(fence);
    database.ifPresent(Database::close);
    dynamoDb.close();
  }
}
