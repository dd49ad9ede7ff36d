package io.tradingdr.service.config;

import io.tradingdr.core.config.Durations;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.region.Epoch;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.region.RegionRole;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The trading service's configuration, read from environment variables (the same names in the local
 * regions, on EC2 and in Lambda). Immutable; {@link #fromEnvironment} reports every missing or
 * invalid variable at once, naming it and its allowed values.
 *
 * <table>
 *   <caption>Variables</caption>
 *   <tr><th>variable</th><th>meaning</th><th>default</th></tr>
 *   <tr><td>TDR_REGION</td><td>region id (lower-case letters, digits, '-')</td><td>required</td></tr>
 *   <tr><td>TDR_HTTP_HOST</td><td>bind address</td><td>0.0.0.0</td></tr>
 *   <tr><td>TDR_HTTP_PORT</td><td>0-65535 (0: any free port)</td><td>8080</td></tr>
 *   <tr><td>TDR_ORDER_STORE</td><td>where orders live: postgresql, mysql or dynamodb</td><td>from
 *       TDR_DB_URL's scheme (jdbc:postgresql: or jdbc:mysql:); dynamodb when only
 *       TDR_ORDERS_TABLE is set</td></tr>
 *   <tr><td>TDR_DB_URL</td><td>jdbc:postgresql://host:port/db (postgresql) or
 *       jdbc:mysql://host:port/db (mysql); must be absent for dynamodb</td><td>required for
 *       postgresql and mysql</td></tr>
 *   <tr><td>TDR_ORDERS_TABLE</td><td>DynamoDB orders table (dynamodb only; same TDR_AWS_REGION and
 *       TDR_DYNAMODB_ENDPOINT as the sessions table)</td><td>required for dynamodb</td></tr>
 *   <tr><td>TDR_DB_USER</td><td>database user</td><td>required for postgresql and mysql unless
 *       TDR_DB_SECRET_ARN</td></tr>
 *   <tr><td>TDR_DB_PASSWORD</td><td>database password</td><td>empty</td></tr>
 *   <tr><td>TDR_DB_SECRET_ARN</td><td>Secrets Manager secret {"username","password"}</td><td>none</td></tr>
 *   <tr><td>TDR_DB_POOL_SIZE</td><td>1-100 pooled connections</td><td>10</td></tr>
 *   <tr><td>TDR_SESSIONS_TABLE</td><td>DynamoDB sessions table</td><td>trading-sessions</td></tr>
 *   <tr><td>TDR_DYNAMODB_ENDPOINT</td><td>http(s) URL override, e.g. DynamoDB Local</td><td>none</td></tr>
 *   <tr><td>TDR_AWS_REGION</td><td>SDK region</td><td>AWS_REGION; us-east-1 with an endpoint override</td></tr>
 *   <tr><td>TDR_WRITE_ROLE</td><td>WRITER or STANDBY (configured fence)</td><td>required without TDR_CONTROL_TABLE</td></tr>
 *   <tr><td>TDR_WRITE_EPOCH</td><td>integer &gt;= 0</td><td>required for WRITER, 0 for STANDBY</td></tr>
 *   <tr><td>TDR_CONTROL_TABLE</td><td>DynamoDB control table: switches to the lease fence</td><td>none</td></tr>
 *   <tr><td>TDR_CONTROL_REGION</td><td>SDK region of the control table</td><td>TDR_AWS_REGION</td></tr>
 *   <tr><td>TDR_CONTROL_ENDPOINT</td><td>http(s) URL override of the control store</td><td>none</td></tr>
 *   <tr><td>TDR_WRITE_LEASE_TTL</td><td>write lease TTL, 1s-5m (e.g. 10s, 1500ms, PT10S)</td><td>10s</td></tr>
 *   <tr><td>TDR_WRITE_LEASE_SAFETY_MARGIN</td><td>stop acknowledging this long before the lease
 *       expires; 0 to less than half of TDR_WRITE_LEASE_TTL</td><td>2s</td></tr>
 * </table>
 *
 * <p>The order store is described by {@link io.tradingdr.service.orders.OrderStore}: MySQL is for
 * Aurora MySQL 8.0 (profile active-passive), DynamoDB for the profiles without a relational
 * database (warm-standby, serverless-alb), where the DynamoDB Local endpoint also creates the table
 * when missing. A DynamoDB table has no read-only mode: there the write fence is the only guard.
 *
 * <p>TDR_WRITE_LEASE_TTL and TDR_WRITE_LEASE_SAFETY_MARGIN must equal the orchestrator's {@code
 * writeLeaseTtl} and {@code writeLeaseSafetyMargin} ({@link OrchestratorConfig}): the orchestrator
 * waits out that TTL plus margin before it promotes another region. Defaults, ranges and the
 * duration syntax ({@link Durations}) are the orchestrator's.
 */
public record ServiceConfig(
    RegionId region,
    String httpHost,
    int httpPort,
    OrderStoreKind orderStore,
    Optional<String> dbUrl,
    Optional<String> ordersTable,
    String dbUser,
    String dbPassword,
    Optional<String> dbSecretArn,
    int dbPoolSize,
    String sessionsTable,
    Optional<URI> dynamoDbEndpoint,
    String awsRegion,
    Optional<RegionRole> writeRole,
    Epoch writeEpoch,
    Optional<String> controlTable,
    String controlRegion,
    Optional<URI> controlEndpoint,
    Duration writeLeaseTtl,
    Duration writeLeaseSafetyMargin) {

  private static final String TABLE_NAME_ALLOWED =
      "a DynamoDB table name: 3-255 letters, digits, '_', '-' or '.'";
  private static final Duration MIN_WRITE_LEASE_TTL = Duration.ofSeconds(1);
  private static final Duration MAX_WRITE_LEASE_TTL = Duration.ofMinutes(5);

  /** Reads and validates the variables in {@code env}. */
  public static ServiceConfig fromEnvironment(Map<String, String> env) {
    Reader r = new Reader(env);
    RegionId region =
        r.required(
            "TDR_REGION",
            RegionId::of,
            "a region id: 1-32 lower-case letters, digits or '-', starting with a letter");
    String httpHost = r.optional("TDR_HTTP_HOST", Function.identity(), "a host or IP", "0.0.0.0");
    Integer httpPort =
        r.optional("TDR_HTTP_PORT", v -> intIn(v, 0, 65535), "an integer 0-65535", 8080);
    OrderStoreKind orderStore = orderStore(r);
    Optional<String> dbUrl = r.present("TDR_DB_URL");
    Optional<String> ordersTable = Optional.empty();
    boolean sql = orderStore == null ? r.present("TDR_ORDERS_TABLE").isEmpty() : orderStore.isSql();
    if (orderStore != null && orderStore.isSql()) {
      String prefix = orderStore.urlPrefix().orElseThrow();
      if (dbUrl.isEmpty()) {
        r.problem(
            "TDR_DB_URL is required with TDR_ORDER_STORE="
                + orderStore
                + ": a JDBC URL "
                + prefix
                + "host:port/database");
      } else if (!dbUrl.get().startsWith(prefix)) {
        r.problem(
            "TDR_DB_URL='"
                + dbUrl.get()
                + "' is invalid: expected a JDBC URL "
                + prefix
                + "host:port/database for TDR_ORDER_STORE="
                + orderStore);
      }
      if (r.present("TDR_ORDERS_TABLE").isPresent()) {
        r.problem(
            "TDR_ORDERS_TABLE is only for TDR_ORDER_STORE=dynamodb; unset it or set"
                + " TDR_ORDER_STORE=dynamodb (the order store is "
                + orderStore
                + ")");
      }
    } else if (orderStore == OrderStoreKind.DYNAMODB) {
      if (dbUrl.isPresent()) {
        r.problem(
            "TDR_DB_URL must not be set with TDR_ORDER_STORE=dynamodb: orders live in the DynamoDB"
                + " table TDR_ORDERS_TABLE; unset TDR_DB_URL or choose postgresql or mysql");
      }
      ordersTable =
          Optional.ofNullable(
              r.required(
                  "TDR_ORDERS_TABLE",
                  ServiceConfig::tableName,
                  TABLE_NAME_ALLOWED + " (required with TDR_ORDER_STORE=dynamodb)"));
    }
    Optional<String> secretArn = r.present("TDR_DB_SECRET_ARN");
    String dbUser =
        secretArn.isPresent() || !sql
            ? r.optional("TDR_DB_USER", Function.identity(), "a user name", "")
            : r.required("TDR_DB_USER", Function.identity(), "the database user name");
    String dbPassword = r.optional("TDR_DB_PASSWORD", Function.identity(), "a password", "");
    Integer poolSize =
        r.optional("TDR_DB_POOL_SIZE", v -> intIn(v, 1, 100), "an integer 1-100", 10);
    String sessionsTable =
        r.optional(
            "TDR_SESSIONS_TABLE", ServiceConfig::tableName, TABLE_NAME_ALLOWED, "trading-sessions");
    Optional<URI> ddbEndpoint =
        Optional.ofNullable(
            r.optional("TDR_DYNAMODB_ENDPOINT", ServiceConfig::httpUri, "an http(s) URL", null));
    String awsDefault =
        env.getOrDefault("AWS_REGION", ddbEndpoint.isPresent() ? "us-east-1" : null);
    String awsRegion =
        awsDefault == null
            ? r.required(
                "TDR_AWS_REGION", ServiceConfig::awsRegion, "an AWS region such as us-east-1")
            : r.optional(
                "TDR_AWS_REGION",
                ServiceConfig::awsRegion,
                "an AWS region such as us-east-1",
                awsDefault);
    Optional<String> controlTable =
        Optional.ofNullable(
            r.optional("TDR_CONTROL_TABLE", ServiceConfig::tableName, TABLE_NAME_ALLOWED, null));
    String controlRegion =
        r.optional(
            "TDR_CONTROL_REGION",
            ServiceConfig::awsRegion,
            "an AWS region such as us-east-1",
            awsRegion);
    Optional<URI> controlEndpoint =
        Optional.ofNullable(
            r.optional("TDR_CONTROL_ENDPOINT", ServiceConfig::httpUri, "an http(s) URL", null));
    OrchestratorConfig orchestratorDefaults = OrchestratorConfig.defaults();
    Duration leaseTtl =
        r.optional(
            "TDR_WRITE_LEASE_TTL",
            v -> durationIn(v, MIN_WRITE_LEASE_TTL, MAX_WRITE_LEASE_TTL),
            "a duration from 1s to 5m such as 10s, 1500ms or PT10S (the orchestrator's"
                + " writeLeaseTtl)",
            orchestratorDefaults.writeLeaseTtl());
    Duration leaseMargin =
        r.optional(
            "TDR_WRITE_LEASE_SAFETY_MARGIN",
            v -> durationIn(v, Duration.ZERO, MAX_WRITE_LEASE_TTL),
            "a duration >= 0 such as 2s or 500ms (the orchestrator's writeLeaseSafetyMargin)",
            orchestratorDefaults.writeLeaseSafetyMargin());
    if (leaseTtl != null
        && leaseMargin != null
        && leaseMargin.compareTo(leaseTtl.dividedBy(2)) >= 0) {
      r.problem(
          "TDR_WRITE_LEASE_SAFETY_MARGIN="
              + Durations.format(leaseMargin)
              + " is invalid: expected less than half of TDR_WRITE_LEASE_TTL="
              + Durations.format(leaseTtl)
              + " (below "
              + Durations.format(leaseTtl.dividedBy(2))
              + ")");
    }
    Optional<RegionRole> role = Optional.empty();
    Epoch epoch = Epoch.ZERO;
    if (r.present("TDR_CONTROL_TABLE").isEmpty()) {
      role =
          Optional.ofNullable(
              r.required(
                  "TDR_WRITE_ROLE",
                  ServiceConfig::role,
                  "WRITER or STANDBY (or set TDR_CONTROL_TABLE for the lease fence)"));
      boolean writer = role.map(RegionRole.WRITER::equals).orElse(false);
      Function<String, Epoch> parseEpoch = v -> new Epoch(Long.parseLong(v.trim()));
      epoch =
          writer
              ? r.required("TDR_WRITE_EPOCH", parseEpoch, "an integer >= 0 (the writer's epoch)")
              : r.optional("TDR_WRITE_EPOCH", parseEpoch, "an integer >= 0", Epoch.ZERO);
    }
    r.throwIfProblems();
    return new ServiceConfig(
        region,
        httpHost,
        httpPort,
        orderStore,
        dbUrl,
        ordersTable,
        dbUser,
        dbPassword,
        secretArn,
        poolSize,
        sessionsTable,
        ddbEndpoint,
        awsRegion,
        role,
        epoch == null ? Epoch.ZERO : epoch,
        controlTable,
        controlRegion,
        controlEndpoint,
        leaseTtl,
        leaseMargin);
  }

  /** A copy with another HTTP port (tests bind port 0). */
  public ServiceConfig withHttpPort(int port) {
    return new ServiceConfig(
        region,
        httpHost,
        port,
        orderStore,
        dbUrl,
        ordersTable,
        dbUser,
        dbPassword,
        dbSecretArn,
        dbPoolSize,
        sessionsTable,
        dynamoDbEndpoint,
        awsRegion,
        writeRole,
        writeEpoch,
        controlTable,
        controlRegion,
        controlEndpoint,
        writeLeaseTtl,
        writeLeaseSafetyMargin);
  }

  @Override
  public String toString() {
    // Never print the password.
    return "ServiceConfig[region="
        + region
        + ", http="
        + httpHost
        + ":"
        + httpPort
        + ", orders="
        + orderStore
        + " "
        + dbUrl.or(() -> ordersTable).orElse("?")
        + ", sessionsTable="
        + sessionsTable
        + ", dynamoDbEndpoint="
        + dynamoDbEndpoint.map(URI::toString).orElse("(AWS)")
        + ", fence="
        + controlTable
            .map(
                t ->
                    "lease on "
                        + t
                        + " (ttl "
                        + Durations.format(writeLeaseTtl)
                        + ", margin "
                        + Durations.format(writeLeaseSafetyMargin)
                        + ")")
            .orElse(writeRole.map(Enum::name).orElse("?") + "@" + writeEpoch)
        + "]";
  }

  /**
   * TDR_ORDER_STORE, or the store TDR_DB_URL's scheme names, or dynamodb when only TDR_ORDERS_TABLE
   * is set. Null (with a problem recorded) when none of them decides.
   */
  private static OrderStoreKind orderStore(Reader r) {
    if (r.present("TDR_ORDER_STORE").isPresent()) {
      return r.optional(
          "TDR_ORDER_STORE", OrderStoreKind::parse, OrderStoreKind.allowedValues(), null);
    }
    Optional<String> dbUrl = r.present("TDR_DB_URL");
    if (dbUrl.isPresent()) {
      Optional<OrderStoreKind> byScheme = OrderStoreKind.ofUrl(dbUrl.get());
      if (byScheme.isEmpty()) {
        r.problem(
            "TDR_DB_URL='"
                + dbUrl.get()
                + "' is invalid: expected a PostgreSQL JDBC URL jdbc:postgresql://host:port/database"
                + " or a MySQL one jdbc:mysql://host:port/database (or unset it and set"
                + " TDR_ORDER_STORE=dynamodb with TDR_ORDERS_TABLE)");
      }
      return byScheme.orElse(null);
    }
    if (r.present("TDR_ORDERS_TABLE").isPresent()) {
      return OrderStoreKind.DYNAMODB;
    }
    r.problem(
        "TDR_DB_URL is required: a PostgreSQL JDBC URL jdbc:postgresql://host:port/database or a"
            + " MySQL one jdbc:mysql://host:port/database (or set TDR_ORDER_STORE=dynamodb with"
            + " TDR_ORDERS_TABLE)");
    return null;
  }

  private static int intIn(String value, int min, int max) {
    int parsed = Integer.parseInt(value.trim());
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException();
    }
    return parsed;
  }

  private static String tableName(String value) {
    if (!value.matches("[A-Za-z0-9_.-]{3,255}")) {
      throw new IllegalArgumentException();
    }
    return value;
  }

  private static Duration durationIn(String value, Duration min, Duration max) {
    Duration parsed = Durations.parse("duration", value);
    if (parsed.compareTo(min) < 0 || parsed.compareTo(max) > 0) {
      throw new IllegalArgumentException();
    }
    return parsed;
  }

  private static URI httpUri(String value) {
    URI uri = URI.create(value.trim());
    if (uri.getHost() == null
        || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
      throw new IllegalArgumentException();
    }
    return uri;
  }

  private static String awsRegion(String value) {
    if (!value.matches("[a-z]{2}(-[a-z]+)+-\\d")) {
      throw new IllegalArgumentException();
    }
    return value;
  }

  private static RegionRole role(String value) {
    return switch (value.trim()) {
      case "WRITER" -> RegionRole.WRITER;
      case "STANDBY" -> RegionRole.STANDBY;
      default -> throw new IllegalArgumentException();
    };
  }

  /** Collects problems instead of stopping at the first one. */
  private static final class Reader {
    private final Map<String, String> env;
    private final List<String> problems = new ArrayList<>();

    Reader(Map<String, String> env) {
      this.env = env;
    }

    Optional<String> present(String name) {
      String value = env.get(name);
      return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
    }

    <T> T required(String name, Function<String, T> parse, String allowed) {
      Optional<String> value = present(name);
      if (value.isEmpty()) {
        problems.add(name + " is required: " + allowed);
        return null;
      }
      return parse(name, value.get(), parse, allowed);
    }

    <T> T optional(String name, Function<String, T> parse, String allowed, T fallback) {
      Optional<String> value = present(name);
      return value.isEmpty() ? fallback : parse(name, value.get(), parse, allowed);
    }

    private <T> T parse(String name, String value, Function<String, T> parse, String allowed) {
      try {
        return parse.apply(value);
      } catch (RuntimeException e) {
        problems.add(name + "='" + value + "' is invalid: expected " + allowed);
        return null;
      }
    }

    void problem(String text) {
      problems.add(text);
    }

    void throwIfProblems() {
      if (!problems.isEmpty()) {
        throw new ConfigException(
            "invalid trading service configuration:\n  " + String.join("\n  ", problems));
      }
    }
  }
}
