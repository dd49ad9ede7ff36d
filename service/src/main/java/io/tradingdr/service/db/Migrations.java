package io.tradingdr.service.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies the schema migrations (classpath:db/migration) on a writable database. */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /**
   * Migrates the schema, unless the database is a standby: its schema arrives by replication and it
   * cannot take DDL. Returns whether migrations ran.
   */
  public static boolean migrateIfWritable(DataSource dataSource) {
    try (Connection c = dataSource.getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("select pg_is_in_recovery()")) {
      rs.next();
      if (rs.getBoolean(1)) {
        LOG.info("database is a standby: schema migrations skipped, they arrive by replication");
        return false;
      }
    } catch (SQLException e) {
      Throwable root = e;
      while (root.getCause() != null) {
        root = root.getCause();
      }
      throw new DatabaseUnavailableException(
          "cannot reach the database to check or migrate its schema: " + root.getMessage(), e);
    }
    var result =
        Flyway.configure()
            .dataSource(dataSource)
            .locations("classpath:db/migration")
            .load()
            .migrate();
    LOG.info(
        "schema at version {} ({} migrations applied)",
        result.targetSchemaVersion,
        result.migrationsExecuted);
    return true;
  }
}
