package io.tradingdr.service;

import io.tradingdr.procs.DynamoDbLocalProcess;
import io.tradingdr.procs.MariaDbNode;
import io.tradingdr.procs.PostgresNode;
import io.tradingdr.procs.RunDirectory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL, one MariaDB (the stand-in for Aurora MySQL) and one DynamoDB Local for the
 * whole test JVM, each started on first use and stopped by its PID when the JVM exits; each test
 * class gets its own database or tables.
 */
public final class TestStores {

  /** The MySQL user the service connects as: no SUPER, so read_only refuses its writes. */
  public static final String MYSQL_USER = "trader";

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static PostgresNode postgres;
  private static MariaDbNode mariaDb;
  private static DynamoDbLocalProcess dynamoDb;

  private TestStores() {}

  public static synchronized PostgresNode postgres() {
    if (postgres == null) {
      RunDirectory run = RunDirectory.temporary("service-test-").deleteOnExit();
      postgres =
          PostgresNode.builder()
              .dataDir(run.resolve("pg"))
              .runDirectory(run)
              .clusterName("service_test")
              .setting("fsync", "off")
              .build()
              .initdb()
              .start();
    }
    return postgres;
  }

  public static synchronized MariaDbNode mariaDb() {
    if (mariaDb == null) {
      RunDirectory run = RunDirectory.temporary("service-test-mariadb-").deleteOnExit();
      mariaDb =
          MariaDbNode.builder()
              .name("service-test-mariadb")
              .dataDir(run.resolve("data"))
              .runDirectory(run)
              // Test data only: no fsync per commit.
              .setting("innodb-flush-log-at-trx-commit", "2")
              .setting("innodb-buffer-pool-size", "64M")
              .build()
              .initdb()
              .start();
      mariaDb.createApplicationUser(MYSQL_USER);
    }
    return mariaDb;
  }

  public static synchronized DynamoDbLocalProcess dynamoDb() {
    if (dynamoDb == null) {
      dynamoDb = DynamoDbLocalProcess.builder().name("service-test-ddb").build().start();
    }
    return dynamoDb;
  }

  /** A fresh PostgreSQL database; returns its JDBC URL. */
  public static String newDatabase(String prefix) {
    String name = prefix + "_" + NEXT.incrementAndGet();
    postgres().createDatabase(name);
    return postgres().jdbcUrl(name);
  }

  /** A fresh MySQL (MariaDB) database; returns its JDBC URL. */
  public static String newMySqlDatabase(String prefix) {
    String name = prefix + "_" + NEXT.incrementAndGet();
    mariaDb().createDatabase(name);
    return mariaDb().jdbcUrl(name);
  }

  /** A table name no other test class uses. */
  public static String newTableName(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
  }
}
