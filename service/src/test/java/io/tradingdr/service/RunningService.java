package io.tradingdr.service;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.core.fence.WriteFence;
import io.tradingdr.service.api.Json;
import io.tradingdr.service.api.TradingApi;
import io.tradingdr.service.config.ServiceConfig;
import io.tradingdr.service.db.Database;
import io.tradingdr.service.db.Migrations;
import io.tradingdr.service.http.TradingHttpServer;
import io.tradingdr.service.metrics.ServiceMetrics;
import io.tradingdr.service.sessions.DynamoDbSessionStore;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/** The trading service over real HTTP, on a fresh database and sessions table. */
public final class RunningService implements AutoCloseable {

  public final ServiceConfig config;
  public final Database database;
  public final DynamoDbClient dynamoDb;
  public final DynamoDbSessionStore sessions;
  public final ServiceMetrics metrics;
  public final WriteFence fence;
  public final TradingApi api;
  public final TradingHttpServer server;
  public final String jdbcUrl;
  public final boolean migrated;
  public final HttpClient http = HttpClient.newHttpClient();

  private RunningService(
      String jdbcUrl, Map<String, String> overrides, Function<ServiceConfig, WriteFence> fence) {
    this.jdbcUrl = jdbcUrl;
    Map<String, String> env = new HashMap<>(environment(jdbcUrl));
    env.putAll(overrides);
    config = ServiceConfig.fromEnvironment(env);
    database = Database.connect(config.dbUrl(), config.dbUser(), "", 8, "test");
    migrated = Migrations.migrateIfWritable(database.dataSource());
    dynamoDb = TradingServiceRuntime.dynamoDbClient(config);
    sessions =
        new DynamoDbSessionStore(
            dynamoDb, config.sessionsTable(), config.region().value(), Clock.systemUTC());
    sessions.createTableIfMissing();
    metrics = ServiceMetrics.prometheus();
    this.fence = fence.apply(config);
    api =
        TradingServiceRuntime.wire(
            config, Clock.systemUTC(), database, sessions, this.fence, metrics);
    server = TradingHttpServer.start(api, "127.0.0.1", 0);
  }

  /** The variables a writer region at epoch 7 would get. */
  public static Map<String, String> environment(String jdbcUrl) {
    Map<String, String> env = new HashMap<>();
    env.put("TDR_REGION", "region-a");
    env.put("TDR_DB_URL", jdbcUrl);
    env.put("TDR_DB_USER", TestStores.postgres().superuser());
    env.put("TDR_SESSIONS_TABLE", TestStores.newTableName("sessions"));
    env.put("TDR_DYNAMODB_ENDPOINT", TestStores.dynamoDb().endpoint().toString());
    env.put("TDR_WRITE_ROLE", "WRITER");
    env.put("TDR_WRITE_EPOCH", "7");
    return env;
  }

  public static RunningService start(Map<String, String> overrides) {
    return onDatabase(TestStores.newDatabase("orders"), overrides);
  }

  /** On an existing database (e.g. a standby's copy), the fence the configuration asks for. */
  public static RunningService onDatabase(String jdbcUrl, Map<String, String> overrides) {
    return new RunningService(
        jdbcUrl, overrides, c -> TradingServiceRuntime.fence(c, Clock.systemUTC()));
  }

  public static RunningService withFence(Function<ServiceConfig, WriteFence> fence) {
    return new RunningService(TestStores.newDatabase("orders"), Map.of(), fence);
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

  /** Rows in the orders table, read over a separate connection. */
  public long orderRows() {
    return longQuery("select count(*) from orders");
  }

  public long longQuery(String sql) {
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(sql)) {
      rs.next();
      return rs.getLong(1);
    } catch (SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Runs {@code sql} from the server's maintenance database (works while this one is read-only).
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
    database.close();
    dynamoDb.close();
  }
}
