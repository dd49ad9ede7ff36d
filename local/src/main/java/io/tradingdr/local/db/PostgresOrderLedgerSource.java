package io.tradingdr.local.db;

import io.tradingdr.aws.rds.JdbcOrderReader;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.OrderLedgerSource;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * {@link OrderLedgerSource} over JDBC: reads the trading service's {@code orders} table in a
 * region's own PostgreSQL (the old primary too, once it can be read), for the RPO ledger, with the
 * same reader as the Aurora target ({@link JdbcOrderReader}).
 */
public final class PostgresOrderLedgerSource implements OrderLedgerSource {

  private final Map<RegionId, String> jdbcUrls;
  private final String user;
  private final JdbcOrderReader reader;

  /**
   * @param jdbcUrls each region's database, {@code jdbc:postgresql://host:port/db}
   * @param timeout connect and socket timeout per query
   */
  public PostgresOrderLedgerSource(Map<RegionId, String> jdbcUrls, String user, Duration timeout) {
    this.jdbcUrls = Map.copyOf(new LinkedHashMap<>(jdbcUrls));
    this.user = Objects.requireNonNull(user, "user");
    this.reader = new JdbcOrderReader(Objects.requireNonNull(timeout, "timeout"));
  }

  @Override
  public List<CommittedOrder> committedSince(RegionId region, Instant since) {
    return reader.committedSince(target(region), since);
  }

  @Override
  public Set<String> present(RegionId region, Collection<CommittedOrder> orders) {
    return reader.present(target(region), orders);
  }

  private JdbcOrderReader.Target target(RegionId region) {
    String url = jdbcUrls.get(region);
    if (url == null) {
      throw new IllegalArgumentException(
          "unknown region " + region + "; allowed: " + jdbcUrls.keySet());
    }
    return new JdbcOrderReader.Target(url, user, null);
  }
}
