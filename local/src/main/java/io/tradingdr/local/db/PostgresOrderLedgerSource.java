package io.tradingdr.local.db;

import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.OrderLedgerSource;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;

/**
 * {@link OrderLedgerSource} over JDBC: reads the trading service's {@code orders} table in a
 * region's own PostgreSQL (the old primary too, once it can be read), for the RPO ledger.
 */
public final class PostgresOrderLedgerSource implements OrderLedgerSource {

  /** The order as submitted, rebuilt from its columns in the service's request format. */
  private static final String BODY =
      "json_strip_nulls(json_build_object('clientOrderId', client_order_id, 'accountId',"
          + " account_id, 'symbol', symbol, 'side', side, 'type', order_type, 'quantity', quantity,"
          + " 'limitPrice', limit_price))::text";

  private final Map<RegionId, String> jdbcUrls;
  private final String user;
  private final Duration timeout;

  /**
   * @param jdbcUrls each region's database, {@code jdbc:postgresql://host:port/db}
   * @param timeout connect and socket timeout per query
   */
  public PostgresOrderLedgerSource(Map<RegionId, String> jdbcUrls, String user, Duration timeout) {
    this.jdbcUrls = Map.copyOf(new LinkedHashMap<>(jdbcUrls));
    this.user = Objects.requireNonNull(user, "user");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
  }

  @Override
  public List<CommittedOrder> committedSince(RegionId region, Instant since) {
    try (Connection c = connect(region);
        PreparedStatement st =
            c.prepareStatement(
                "SELECT order_id::text, client_order_id, account_id, created_at, epoch, "
                    + BODY
                    + " FROM orders WHERE created_at >= ? ORDER BY seq")) {
      st.setTimestamp(1, Timestamp.from(since));
      List<CommittedOrder> orders = new ArrayList<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          orders.add(
              new CommittedOrder(
                  rs.getString(1),
                  rs.getString(2),
                  rs.getString(3),
                  rs.getTimestamp(4).toInstant(),
                  rs.getLong(5),
                  rs.getString(6)));
        }
      }
      return orders;
    } catch (SQLException e) {
      throw new UnreachableException("orders of " + region + " unreadable: " + e.getMessage(), e);
    }
  }

  @Override
  public Set<String> present(RegionId region, Collection<CommittedOrder> orders) {
    if (orders.isEmpty()) {
      return Set.of();
    }
    Map<String, String> byOrderId = new HashMap<>();
    Map<String, String> byClientKey = new HashMap<>();
    for (CommittedOrder order : orders) {
      byOrderId.put(order.orderId(), order.orderId());
      byClientKey.put(clientKey(order.account(), order.clientOrderId()), order.orderId());
    }
    try (Connection c = connect(region);
        PreparedStatement st =
            c.prepareStatement(
                "SELECT order_id::text, account_id, client_order_id FROM orders"
                    + " WHERE order_id::text = ANY (?) OR account_id || chr(1) || client_order_id"
                    + " = ANY (?)")) {
      st.setArray(1, c.createArrayOf("text", byOrderId.keySet().toArray()));
      st.setArray(2, c.createArrayOf("text", byClientKey.keySet().toArray()));
      Set<String> present = new HashSet<>();
      try (ResultSet rs = st.executeQuery()) {
        while (rs.next()) {
          String byId = byOrderId.get(rs.getString(1));
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
    } catch (SQLException e) {
      throw new UnreachableException("orders of " + region + " unreadable: " + e.getMessage(), e);
    }
  }

  private static String clientKey(String account, String clientOrderId) {
    return account + '\u0001' + clientOrderId;
  }

  private Connection connect(RegionId region) throws SQLException {
    String url = jdbcUrls.get(region);
    if (url == null) {
      throw new IllegalArgumentException(
          "unknown region " + region + "; allowed: " + jdbcUrls.keySet());
    }
    Properties props = new Properties();
    props.setProperty("user", user);
    props.setProperty("connectTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
    props.setProperty("socketTimeout", Long.toString(Math.max(1, timeout.toSeconds())));
    props.setProperty("ApplicationName", "tdr-rpo-ledger");
    return DriverManager.getConnection(url, props);
  }
}
