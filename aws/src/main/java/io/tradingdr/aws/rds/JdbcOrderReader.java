package io.tradingdr.aws.rds;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.rpo.CommittedOrder;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;

/**
 * Reads the trading service's {@code orders} table over JDBC, in Aurora PostgreSQL or Aurora MySQL
 * (same column names in both; see service/src/main/resources/db/migration/V1__orders.sql). Only
 * portable SQL; the differences (the {@code uuid} type of PostgreSQL's {@code order_id}, MySQL's
 * {@code DATETIME(6)} in UTC against PostgreSQL's {@code timestamptz}) are in {@link Dialect}.
 *
 * <p>Errors: a refused login or a missing table/permission (SQLState classes 28 and 42) is a {@link
 * RefusedException}; anything else (no connection, timeout) an {@link UnreachableException}.
 */
public final class JdbcOrderReader {

  /** Orders per {@code present} query, to keep the statement's parameter count modest. */
  private static final int BATCH = 200;

  private static final ObjectMapper JSON = new ObjectMapper();

  /** The two engines of the orders table. */
  public enum Dialect {
    POSTGRESQL,
    MYSQL;

    /** From a JDBC URL: {@code jdbc:postgresql:} or {@code jdbc:mysql:}. */
    public static Dialect ofUrl(String jdbcUrl) {
      if (jdbcUrl.startsWith("jdbc:postgresql:")) {
        return POSTGRESQL;
      }
      if (jdbcUrl.startsWith("jdbc:mysql:")) {
        return MYSQL;
      }
      throw new IllegalArgumentException(
          "unsupported JDBC URL '" + jdbcUrl + "'; allowed: jdbc:postgresql:..., jdbc:mysql:...");
    }

    /** From an Aurora engine name: {@code aurora-postgresql}, {@code aurora-mysql}. */
    public static Dialect ofEngine(String engine) {
      String e = engine == null ? "" : engine.toLowerCase(Locale.ROOT);
      return switch (e) {
        case "aurora-postgresql", "postgres" -> POSTGRESQL;
        case "aurora-mysql", "aurora", "mysql" -> MYSQL;
        default ->
            throw new RefusedException(
                "engine '"
                    + engine
                    + "' has no orders reader; allowed: aurora-postgresql, aurora-mysql");
      };
    }

    /** The JDBC URL of {@code host:port/database}, TLS required when {@code tls}. */
    public String url(String host, int port, String database, boolean tls) {
      return switch (this) {
        case POSTGRESQL ->
            "jdbc:postgresql://"
                + host
                + ":"
                + port
                + "/"
                + database
                + (tls ? "?sslmode=require" : "?sslmode=disable");
        case MYSQL ->
            "jdbc:mysql://"
                + host
                + ":"
                + port
                + "/"
                + database
                + (tls ? "?sslMode=REQUIRED" : "?sslMode=DISABLED");
      };
    }
  }

  /** Where and as whom to read; {@link #toString()} leaves the password out. */
  public record Target(String jdbcUrl, String user, String password) {
    public Target {
      Objects.requireNonNull(jdbcUrl, "jdbcUrl");
      Objects.requireNonNull(user, "user");
      Dialect.ofUrl(jdbcUrl);
    }

    Dialect dialect() {
      return Dialect.ofUrl(jdbcUrl);
    }

    @Override
    public String toString() {
      return user + "@" + jdbcUrl;
    }
  }

  private final Duration timeout;

  /**
   * @param timeout connect and socket timeout of each query
   */
  public JdbcOrderReader(Duration timeout) {
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException("JDBC timeout must be positive, was " + timeout);
    }
    this.timeout = timeout;
  }

  /** Every order with {@code created_at >= since}, in commit order ({@code seq}). */
  public List<CommittedOrder> committedSince(Target target, Instant since) {
    Dialect dialect = target.dialect();
    try (Connection c = connect(target);
        PreparedStatement st =
            c.prepareStatement(
                "SELECT order_id, client_order_id, account_id, symbol, side, order_type, quantity,"
                    + " limit_price, created_at, epoch FROM orders WHERE created_at >= ? ORDER BY"
                    + " seq")) {
      if (dialect == Dialect.POSTGRESQL) {
        st.setObject(1, OffsetDateTime.ofInstant(since, ZoneOffset.UTC));
      } else {
        st.setObject(1, LocalDateTime.ofInstant(since, ZoneOffset.UTC));
      }
      List<CommittedOrder> orders = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          Instant createdAt =
              dialect == Dialect.POSTGRESQL
                  ? rs.getObject(9, OffsetDateTime.class).toInstant()
                  : rs.getObject(9, LocalDateTime.class).toInstant(ZoneOffset.UTC);
          orders.add(
              new CommittedOrder(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  createdAt,
                  rs.getLong(10),
                  body(
                      rs.getString(2),
                      rs.getString(3),
                      rs.getString(4),
                      rs.getString(5),
                      rs.getString(6),
                      rs.getLong(7),
                      rs.getBigDecimal(8))));
        }
      }
      return orders;
    } catch (SQLException e) {
      throw translate("orders at " + target, e);
    }
  }

  /**
   * The ids among {@code orders} that the table holds, by order id or by (account, client order
   * id).
   */
  public Set<String> present(Target target, Collection<CommittedOrder> orders) {
    if (orders.isEmpty()) {
      return Set.of();
    }
    Dialect dialect = target.dialect();
    List<CommittedOrder> all = List.copyOf(orders);
    Set<String> present = new HashSet<>();
    try (Connection c = connect(target)) {
      for (int from = 0; from < all.size(); from += BATCH) {
        present.addAll(
            presentIn(c, dialect, all.subList(from, Math.min(all.size(), from + BATCH))));
      }
      return present;
    } catch (SQLException e) {
      throw translate("orders at " + target, e);
    }
  }

  private static Set<String> presentIn(Connection c, Dialect dialect, List<CommittedOrder> batch)
      throws SQLException {
    Map<String, String> byOrderId = new HashMap<>();
    Map<String, String> byClientKey = new HashMap<>();
    List<String> ids = new ArrayList<>();
    for (CommittedOrder order : batch) {
      byClientKey.put(clientKey(order.account(), order.clientOrderId()), order.orderId());
      // PostgreSQL's order_id is a uuid: an id that is not one cannot be there by id.
      if (dialect == Dialect.MYSQL || isUuid(order.orderId())) {
        byOrderId.put(order.orderId().toLowerCase(Locale.ROOT), order.orderId());
        ids.add(order.orderId());
      }
    }
    StringBuilder sql =
        new StringBuilder("SELECT order_id, account_id, client_order_id FROM orders WHERE ");
    if (!ids.isEmpty()) {
      String param = dialect == Dialect.POSTGRESQL ? "CAST(? AS uuid)" : "?";
      sql.append("order_id IN (")
          .append(String.join(", ", java.util.Collections.nCopies(ids.size(), param)))
          .append(") OR ");
    }
    sql.append("(account_id, client_order_id) IN (")
        .append(String.join(", ", java.util.Collections.nCopies(batch.size(), "(?, ?)")))
        .append(")");
    try (PreparedStatement st = c.prepareStatement(sql.toString())) {
      int i = 1;
      for (String id : ids) {
        st.setString(i++, id);
      }
      for (CommittedOrder order : batch) {
        st.setString(i++, order.account());
        st.setString(i++, order.clientOrderId());
      }
      Set<String> present = new HashSet<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String byId = byOrderId.get(rs.getString(1).toLowerCase(Locale.ROOT));
          if (byId != null) {
            present.add(byId);
          }
          String byClient = byClientKey.get(clientKey(rs.getString(2), rs.getString(3)));
          if (byClient != null) {
            present.add(byClient);
          }
        }
      }
      return present;
    }
  }

  /** The order as submitted, in the service's request format (what a replay sends again). */
  static String body(
      String clientOrderId,
      String accountId,
      String symbol,
      String side,
      String type,
      long quantity,
      BigDecimal limitPrice) {
    ObjectNode node = JSON.createObjectNode();
    node.put("clientOrderId", clientOrderId);
    node.put("accountId", accountId);
    node.put("symbol", symbol);
    node.put("side", side);
    node.put("type", type);
    node.put("quantity", quantity);
    if (limitPrice != null) {
      node.put("limitPrice", limitPrice);
    }
    return node.toString();
  }

  private static boolean isUuid(String id) {
    try {
      UUID.fromString(id);
      return id.length() == 36;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static String clientKey(String account, String clientOrderId) {
    return account + '\u0001' + clientOrderId;
  }

  private Connection connect(Target target) throws SQLException {
    Properties props = new Properties();
    props.setProperty("user", target.user());
    if (target.password() != null) {
      props.setProperty("password", target.password());
    }
    if (target.dialect() == Dialect.POSTGRESQL) {
      String seconds = Long.toString(Math.max(1, timeout.toSeconds()));
      props.setProperty("connectTimeout", seconds);
      props.setProperty("socketTimeout", seconds);
      props.setProperty("ApplicationName", "tdr-rpo-ledger");
      props.setProperty("readOnly", "true");
    } else {
      String millis = Long.toString(timeout.toMillis());
      props.setProperty("connectTimeout", millis);
      props.setProperty("socketTimeout", millis);
      props.setProperty("connectionTimeZone", "UTC");
    }
    return DriverManager.getConnection(target.jdbcUrl(), props);
  }

  private static RuntimeException translate(String what, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    String text = what + " unreadable: " + e.getMessage() + " (SQLState " + state + ")";
    if (state.startsWith("28") || state.startsWith("42")) {
      return new RefusedException(text, e);
    }
    return new UnreachableException(text, e);
  }
}
