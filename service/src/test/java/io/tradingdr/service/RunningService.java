package io.tradingdr.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.core.fence.WriteFence;
import io.tradingdr.service.api.Json;
import io.tradingdr.service.api.TradingApi;
import io.tradingdr.service.config.OrderStoreKind;
import io.tradingdr.service.config.ServiceConfig;
import io.tradingdr.service.db.Database;
import io.tradingdr.service.db.Migrations;
import io.tradingdr.service.http.TradingHttpServer;
import io.tradingdr.service.metrics.ServiceMetrics;
import io.tradingdr.service.orders.DynamoDbOrderStore;
import io.tradingdr.service.orders.DynamoDbOrdersTable;
import io.tradingdr.service.orders.OrderStore;
import io.tradingdr.service.sessions.DynamoDbSessionStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The trading service over real HTTP, on a fresh order store (a PostgreSQL or MySQL database, or a
 * DynamoDB orders table) and a fresh sessions table.
 */
public final class RunningService implements AutoCloseable {

  public final ServiceConfig config;
  public final OrderStoreKind storeKind;

  /** The SQL pool; empty for DynamoDB. */
  public final Optional<Database> database;

  public final OrderStore orders;
  public final DynamoDbClient dynamoDb;
  public final DynamoDbSessionStore sessions;
  public final ServiceMetrics metrics;
  public final WriteFence fence;
  public final TradingApi api;
  public final TradingHttpServer server;

  /** The JDBC URL, empty for DynamoDB. */
  public final String jdbcUrl;

  public final boolean migrated;
  public final HttpClient http = HttpClient.newHttpClient();

  private RunningService(Map<String, String> env, Function<ServiceConfig, WriteFence> fence) {
    config = ServiceConfig.fromEnvironment(env);
    storeKind = config.orderStore();
    jdbcUrl = config.dbUrl().orElse("");
    dynamoDb = TradingServiceRuntime.dynamoDbClient(config);
    if (storeKind.isSql()) {
      Database db = Database.connect(jdbcUrl, config.dbUser(), "", 8, "test");
      database = Optional.of(db);
      migrated = Migrations.migrateIfWritable(db);
      orders = TradingServiceRuntime.sqlOrderStore(db);
    } else {
      database = Optional.empty();
      migrated = DynamoDbOrdersTable.createIfMissing(dynamoDb, config.ordersTable().orElseThrow());
      orders =
          new DynamoDbOrderStore(dynamoDb, config.ordersTable().orElseThrow(), Clock.systemUTC());
    }
    sessions =
        new DynamoDbSessionStore(
            dynamoDb, config.sessionsTable(), config.region().value(), Clock.systemUTC());
    sessions.createTableIfMissing();
    metrics = ServiceMetrics.prometheus();
    this.fence = fence.apply(config);
    api =
        TradingServiceRuntime.wire(
            config, Clock.systemUTC(), orders, sessions, this.fence, metrics);
    server = TradingHttpServer.start(api, "127.0.0.1", 0);
  }

  /**
   * The variables a writer region at epoch 7 would get, orders in PostgreSQL at {@code jdbcUrl}.
   */
  public static Map<String, String> environment(String jdbcUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("TDR_REGION", "region-a");
    env.put("TDR_DB_URL", jdbcUrl);
    env.put(
        "TDR_DB_USER",
        jdbcUrl.startsWith("jdbc:mysql:")
            ? TestStores.MYSQL_USER
            : TestStores.postgres().superuser());
    env.put("TDR_SESSIONS_TABLE", TestStores.newTableName("sessions"));
    env.put("TDR_DYNAMODB_ENDPOINT", TestStores.dynamoDb().endpoint().toString());
    env.put("TDR_WRITE_ROLE", "WRITER");
    env.put("TDR_WRITE_EPOCH", "7");
    return env;
  }

  /** The variables of a writer region at epoch 7 on a fresh store of this kind. */
  public static Map<String, String> environment(OrderStoreKind kind) {
    return switch (kind) {
      case POSTGRESQL -> environment(TestStores.newDatabase("orders"));
      case MYSQL -> environment(TestStores.newMySqlDatabase("orders"));
      case DYNAMODB -> {
        Map<String, String> env = new HashMap<>();
        env.put("TDR_REGION", "region-a");
        env.put("TDR_ORDER_STORE", "dynamodb");
        env.put("TDR_ORDERS_TABLE", TestStores.newTableName("orders"));
        env.put("TDR_SESSIONS_TABLE", TestStores.newTableName("sessions"));
        env.put("TDR_DYNAMODB_ENDPOINT", TestStores.dynamoDb().endpoint().toString());
        env.put("TDR_WRITE_ROLE", "WRITER");
        env.put("TDR_WRITE_EPOCH", "7");
        yield env;
      }
    };
  }

  /** On a fresh PostgreSQL database. */
  public static RunningService start(Map<String, String> overrides) {
    return start(OrderStoreKind.POSTGRESQL, overrides);
  }

  /** On a fresh store of this kind, the fence the configuration asks for. */
  public static RunningService start(OrderStoreKind kind, Map<String, String> overrides) {
    return onEnvironment(environment(kind), overrides);
  }

  /** On an existing database (e.g. a standby's copy), the fence the configuration asks for. */
  public static RunningService onDatabase(String jdbcUrl, Map<String, String> overrides) {
    return onEnvironment(environment(jdbcUrl), overrides);
  }

  private static RunningService onEnvironment(
      Map<String, String> base, Map<String, String> overrides) {
    Map<String, String> env = new HashMap<>(base);
    env.putAll(overrides);
    return new RunningService(env, c -> TradingServiceRuntime.fence(c, Clock.systemUTC()));
  }

  public static RunningService withFence(Function<ServiceConfig, WriteFence> fence) {
    return withFence(OrderStoreKind.POSTGRESQL, fence);
  }

  public static RunningService withFence(
      OrderStoreKind kind, Function<ServiceConfig, WriteFence> fence) {
    return new RunningService(environment(kind), fence);
  }

  public URI uri(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }

  public HttpResponse<String> send(HttpRequest.Builder request) {
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public HttpResponse<String> get(String path, String session) {
    HttpRequest.Builder b = HttpRequest.newBuilder(uri(path)).GET();
    if (session != null) {
      b.header(TradingApi.SESSION_HEADER, session);
    }
    return send(b);
  }

  public HttpResponse<String> postJson(String path, String session, String body) {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(uri(path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      b.header(TradingApi.SESSION_HEADER, session);
    }
    return send(b);
  }

  /** Creates a session for {@code accountId} and returns its id. */
  public String session(String accountId) {
    HttpResponse<String> response =
        postJson("/sessions", null, "{\"accountId\":\"" + accountId + "\"}");
    if (response.statusCode() != 201) {
      throw new IllegalStateException("POST /sessions answered " + response);
    }
    return json(response).get("sessionId").asText();
  }

  public static JsonNode json(HttpResponse<String> response) {
    try {
      return Json.mapper().readTree(response.body());
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("not JSON: " + response.body(), e);
    }
  }

  /** Stored orders, read from the store directly (SQL rows or DynamoDB order items). */
  public long orderRows() {
    return countOrders(null, null);
  }

  /**
   * Stored orders whose {@code field} (clientOrderId or accountId) equals {@code value}, read from
   * the store directly, strongly consistent.
   */
  public long countOrders(String field, String value) {
    if (field != null && !field.equals("clientOrderId") && !field.equals("accountId")) {
      throw new IllegalArgumentException("count by clientOrderId or accountId, not " + field);
    }
    if (storeKind.isSql()) {
      String column =
          field == null ? null : field.equals("clientOrderId") ? "client_order_id" : "account_id";
      try (Connection c = database.orElseThrow().dataSource().getConnection();
          PreparedStatement s =
              c.prepareStatement(
                  "select count(*) from orders"
                      + (column == null ? "" : " where " + column + " = ?"))) {
        if (column != null) {
          s.setString(1, value);
        }
        try (ResultSet rs = s.executeQuery()) {
          rs.next();
          return rs.getLong(1);
        }
      } catch (SQLException e) {
        throw new IllegalStateException(e);
      }
    }
    Map<String, AttributeValue> values = new HashMap<>();
    values.put(":p", AttributeValue.fromS("order#"));
    Map<String, String> names = new HashMap<>();
    names.put("#pk", "pk");
    String filter = "begins_with(#pk, :p)";
    if (field != null) {
      names.put("#f", field);
      values.put(":v", AttributeValue.fromS(value));
      filter += " AND #f = :v";
    }
    String expression = filter;
    return dynamoDb
        .scanPaginator(
            r ->
                r.tableName(config.ordersTable().orElseThrow())
                    .consistentRead(true)
                    .filterExpression(expression)
                    .expressionAttributeNames(names)
                    .expressionAttributeValues(values))
        .stream()
        .mapToLong(page -> page.count())
        .sum();
  }

  /** A single number from the SQL store. */
  public long longQuery(String sql) {
    try (Connection c = database.orElseThrow().dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code sql} from the PostgreSQL server's maintenance database (works while this one is
   * read-only).
   */
  public void execute(String sql) {
    try (Connection c =
            DriverManager.getConnection(
                TestStores.postgres().jdbcUrl("postgres"), config.dbUser(), "");
        Statement s = c.createStatement()) {
      s.execute(sql);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    server.close();
    TradingServiceRuntime.closeFence(fence);
    database.ifPresent(Database::close);
    dynamoDb.close();
  }
}
