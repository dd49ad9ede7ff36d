package io.tradingdr.service.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool to the orders database, and the translation of SQL failures.
 *
 * <p>Why these settings: after a failover the database endpoint name (an Aurora cluster endpoint, a
 * CNAME with a 5 s TTL) points at another host. The service must stop using connections to the old
 * writer and resolve the name again:
 *
 * <ul>
 *   <li>the JVM caches DNS answers for {@code networkaddress.cache.ttl} seconds; {@code
 *       TradingServiceMain} sets it to 5 (negative answers: 1) before any lookup, so a new
 *       connection sees the new address within seconds instead of the default 30 s (or forever with
 *       a security manager);
 *   <li>a connection that fails with a read-only error (SQLState 25006: the old writer was demoted)
 *       or a connection error (class 08, admin shutdown 57P01) makes the pool soft-evict every idle
 *       connection, so the next requests open fresh ones to the new address at once;
 *   <li>{@code maxLifetime} 60 s retires every connection within a minute even when nothing failed
 *       (a silently moved endpoint, a recovered old primary); {@code keepaliveTime} 30 s notices
 *       dead idle connections between requests;
 *   <li>{@code connectionTimeout} 3 s and JDBC {@code connectTimeout}/{@code loginTimeout} 3 s:
 *       during a failover a request fails fast with 503 and Retry-After instead of hanging; {@code
 *       socketTimeout} 30 s ends reads from a black-holed host; {@code tcpKeepAlive}.
 *   <li>{@code validationTimeout} 1 s: validation uses the driver's isValid().
 * </ul>
 */
public final class Database implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Database.class);

  private final HikariDataSource pool;
  private final ExecutorService networkTimeoutExecutor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "jdbc-network-timeout");
            t.setDaemon(true);
            return t;
          });

  private Database(HikariDataSource pool) {
    this.pool = pool;
  }

  /** A pool of at most {@code maxPoolSize} connections, settings as described above. */
  public static Database connect(
      String jdbcUrl, String user, String password, int maxPoolSize, String poolName) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setPoolName(poolName);
    config.setMaximumPoolSize(maxPoolSize);
    config.setMinimumIdle(Math.min(2, maxPoolSize));
    config.setIdleTimeout(Duration.ofSeconds(30).toMillis());
    config.setMaxLifetime(Duration.ofSeconds(60).toMillis());
    config.setKeepaliveTime(Duration.ofSeconds(30).toMillis());
    config.setConnectionTimeout(Duration.ofSeconds(3).toMillis());
    config.setValidationTimeout(Duration.ofSeconds(1).toMillis());
    // Start even when the database is down (a region that comes up during an outage): requests
    // get 503 until it answers, instead of a crash loop.
    config.setInitializationFailTimeout(-1);
    config.addDataSourceProperty("connectTimeout", "3");
    config.addDataSourceProperty("loginTimeout", "3");
    config.addDataSourceProperty("socketTimeout", "30");
    config.addDataSourceProperty("tcpKeepAlive", "true");
    config.addDataSourceProperty("ApplicationName", poolName);
    return new Database(new HikariDataSource(config));
  }

  public DataSource dataSource() {
    return pool;
  }

  /** For {@link java.sql.Connection#setNetworkTimeout}. */
  public ExecutorService networkTimeoutExecutor() {
    return networkTimeoutExecutor;
  }

  /**
   * Translates a failure: read-only (25006) and connection trouble evict the pool's connections so
   * the pool follows a failover; every SQL failure becomes a 503-mapped exception.
   */
  public RuntimeException translate(String action, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    if ("25006".equals(state)) {
      evict("database is read-only");
      return new DatabaseReadOnlyException(
          action + ": the database is read-only (standby or fenced writer)", e);
    }
    if (state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || state.equals("53300")
        || e instanceof SQLTransientConnectionException) {
      evict("connection failure " + state);
      return new DatabaseUnavailableException(
          action + ": the database is unreachable (" + describe(e) + ")", e);
    }
    if (state.equals("57014")) {
      return new DatabaseUnavailableException(action + ": the database timed out", e);
    }
    LOG.error("{} failed with SQLState {}", action, state, e);
    return new DatabaseUnavailableException(action + ": database error " + state, e);
  }

  private static String describe(SQLException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  /** Retires every idle connection now and every busy one when it is returned. */
  public void evict(String reason) {
    var bean = pool.getHikariPoolMXBean();
    if (bean != null) {
      LOG.warn("evicting pooled connections: {}", reason);
      bean.softEvictConnections();
    }
  }

  @Override
  public void close() {
    pool.close();
    networkTimeoutExecutor.shutdownNow();
  }
}
