package io.tradingdr.service.db;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTimeoutException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection pool to the orders database (PostgreSQL or MySQL, by the JDBC URL's scheme), the
 * bounded write transaction, and the translation of SQL failures.
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

  /**
   * MySQL error codes meaning "this server takes no writes": 1290 ER_OPTION_PREVENTS_STATEMENT
   * (--read-only, --super-read-only: an Aurora reader or a demoted writer), 1836 ER_READ_ONLY_MODE,
   * 1792 ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION.
   */
  private static final Set<Integer> MYSQL_READ_ONLY = Set.of(1290, 1836, 1792);

  /** MySQL connection-level errors: server shutdown, too many connections, lost connection. */
  private static final Set<Integer> MYSQL_CONNECTION =
      Set.of(1040, 1053, 1077, 2002, 2003, 2006, 2013);

  /** MySQL timeouts: lock wait, statement time limits (MySQL 3024, MariaDB 1969). */
  private static final Set<Integer> MYSQL_TIMEOUT = Set.of(1205, 3024, 1969);

  /** The SQL engine behind a JDBC URL. */
  public enum Engine {
    POSTGRESQL("jdbc:postgresql://"),
    MYSQL("jdbc:mysql://");

    private final String urlPrefix;

    Engine(String urlPrefix) {
      this.urlPrefix = urlPrefix;
    }

    public String urlPrefix() {
      return urlPrefix;
    }

    /**
     * @throws IllegalArgumentException for any other URL
     */
    public static Engine ofUrl(String jdbcUrl) {
      for (Engine engine : values()) {
        if (jdbcUrl.startsWith(engine.urlPrefix)) {
          return engine;
        }
      }
      throw new IllegalArgumentException(
          "not a jdbc:postgresql:// or jdbc:mysql:// URL: " + jdbcUrl);
    }
  }

  private final Engine engine;
  private final HikariDataSource pool;
  private final ExecutorService networkTimeoutExecutor =
      Executors.newCachedThreadPool(
          r -> {
            Thread t = new Thread(r, "jdbc-network-timeout");
            t.setDaemon(true);
            return t;
          });

  private Database(Engine engine, HikariDataSource pool) {
    this.engine = engine;
    this.pool = pool;
  }

  /**
   * A pool of at most {@code maxPoolSize} connections, settings as described above; the engine
   * follows the URL's scheme ({@link Engine#ofUrl}).
   */
  public static Database connect(
      String jdbcUrl, String user, String password, int maxPoolSize, String poolName) {
    Engine engine = Engine.ofUrl(jdbcUrl);
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
    switch (engine) {
      case POSTGRESQL -> {
        config.addDataSourceProperty("connectTimeout", "3");
        config.addDataSourceProperty("loginTimeout", "3");
        config.addDataSourceProperty("socketTimeout", "30");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("ApplicationName", poolName);
      }
      case MYSQL -> {
        // Connector/J counts in milliseconds.
        config.addDataSourceProperty("connectTimeout", "3000");
        config.addDataSourceProperty("socketTimeout", "30000");
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("connectionAttributes", "program_name:" + poolName);
        config.addDataSourceProperty("cachePrepStmts", "true");
        // created_at/updated_at are written with UTC_TIMESTAMP(6) and read as LocalDateTime in
        // UTC; a UTC session keeps NOW() and friends in the same zone for people reading rows.
        config.addDataSourceProperty("connectionTimeZone", "UTC");
        config.addDataSourceProperty("forceConnectionTimeZoneToSession", "true");
      }
    }
    return new Database(engine, new HikariDataSource(config));
  }

  public Engine engine() {
    return engine;
  }

  /** Work inside one transaction. */
  @FunctionalInterface
  public interface SqlWork<T> {
    T run(Connection connection) throws SQLException;
  }

  /**
   * Runs {@code work} in one transaction whose statements and commit end within {@code timeout}:
   * the JDBC network timeout bounds the whole exchange (a synchronous-replication wait ignores
   * statement timeouts), and the engine's lock and statement timeouts end waits inside it cleanly.
   * A transaction that ends by timeout has an unknown outcome ({@link
   * DatabaseUnavailableException}); the caller retries idempotently.
   */
  public <T> T inWriteTransaction(String action, Duration timeout, SqlWork<T> work) {
    int millis = (int) Math.max(1, Math.min(Integer.MAX_VALUE, timeout.toMillis()));
    try (Connection c = pool.getConnection()) {
      try {
        if (engine == Engine.MYSQL) {
          // The re-read after a duplicate key must see the row another transaction committed
          // (REPEATABLE READ would read an older snapshot). The pool resets it on return.
          c.setTransactionIsolation(Connection.TRANSACTION_READ_COMMITTED);
        }
        c.setAutoCommit(false);
        c.setNetworkTimeout(networkTimeoutExecutor, millis);
        try (var s = c.createStatement()) {
          switch (engine) {
            case POSTGRESQL -> {
              s.execute("set local statement_timeout = " + millis);
              s.execute("set local lock_timeout = " + millis);
            }
            case MYSQL -> {
              // Whole seconds only; the network timeout above is the exact bound.
              s.execute(
                  "set session innodb_lock_wait_timeout = " + Math.max(1, (millis + 999) / 1000));
            }
          }
        }
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException e) {
        rollbackQuietly(c);
        throw e;
      }
    } catch (SQLException e) {
      throw translate(action, e);
    }
  }

  private static void rollbackQuietly(Connection c) {
    try {
      if (!c.isClosed()) {
        c.rollback();
      }
    } catch (SQLException ignored) {
      // The connection is broken; the pool discards it. The original failure is what matters.
    }
  }

  public DataSource dataSource() {
    return pool;
  }

  /**
   * Translates a failure: read-only (PostgreSQL 25006; MySQL 1290, 1836, 1792) and connection
   * trouble evict the pool's connections so the pool follows a failover; every SQL failure becomes
   * a 503-mapped exception.
   */
  public RuntimeException translate(String action, SQLException e) {
    String state = e.getSQLState() == null ? "" : e.getSQLState();
    int code = e.getErrorCode();
    boolean mysql = engine == Engine.MYSQL;
    if ("25006".equals(state) || (mysql && MYSQL_READ_ONLY.contains(code))) {
      evict("database is read-only");
      return new DatabaseReadOnlyException(
          action + ": the database is read-only (standby or fenced writer)", e);
    }
    if (state.startsWith("08")
        || state.equals("57P01")
        || state.equals("57P02")
        || state.equals("57P03")
        || state.equals("53300")
        || (mysql && MYSQL_CONNECTION.contains(code))
        || e instanceof SQLTransientConnectionException) {
      evict("connection failure " + state);
      return new DatabaseUnavailableException(
          action + ": the database is unreachable (" + describe(e) + ")", e);
    }
    if (state.equals("57014")
        || e instanceof SQLTimeoutException
        || (mysql && MYSQL_TIMEOUT.contains(code))) {
      return new DatabaseUnavailableException(action + ": the database timed out", e);
    }
    LOG.error("{} failed with SQLState {} (error {})", action, state, code, e);
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
