package io.tradingdr.service.db;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.flywaydb.core.Flyway;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies the schema migrations of the database's engine (classpath:db/migration/postgresql or
 * classpath:db/migration/mysql) on a writable database.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);

  private Migrations() {}

  /** Where the engine's migrations live on the classpath. */
  public static String location(Database.Engine engine) {
    return switch (engine) {
      case POSTGRESQL -> "classpath:db/migration/postgresql";
      case MYSQL -> "classpath:db/migration/mysql";
    };
  }

  /**
   * Migrates the schema, unless the database takes no writes (a PostgreSQL standby, an Aurora MySQL
   * reader or secondary region): its schema arrives by replication and it cannot take DDL. Returns
   * whether migrations ran.
   */
  public static boolean migrateIfWritable(Database database) {
    String probe =
        switch (database.engine()) {
          case POSTGRESQL -> "select pg_is_in_recovery()";
          // Aurora readers and secondary clusters run with innodb_read_only; a demoted writer
          // with read_only (super_read_only implies it and does not exist on MariaDB).
          case MYSQL -> "select @@global.read_only <> 0 or @@innodb_read_only <> 0";
        };
    try (Connection c = database.dataSource().getConnection();
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery(probe)) {
      rs.next();
      if (rs.getBoolean(1)) {
        LOG.info("database takes no writes: schema migrations skipped, they arrive by replication");
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
            .dataSource(database.dataSource())
            .locations(location(database.engine()))
            .load()
            .migrate();
    LOG.info(
        "schema at version {} ({} migrations applied)",
        result.targetSchemaVersion,
        result.migrationsExecuted);
    return true;
  }
}
