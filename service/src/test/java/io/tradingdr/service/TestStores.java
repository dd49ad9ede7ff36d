package io.tradingdr.service;

import io.tradingdr.procs.DynamoDbLocalProcess;
import io.tradingdr.procs.PostgresNode;
import io.tradingdr.procs.RunDirectory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One real PostgreSQL and one DynamoDB Local for the whole test JVM (started on first use, stopped
 * by their PIDs when the JVM exits); each test class gets its own database and sessions table.
 */
public final class TestStores {

  private static final AtomicInteger NEXT = new AtomicInteger();
  private static PostgresNode postgres;
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

  public static synchronized DynamoDbLocalProcess dynamoDb() {
    if (dynamoDb == null) {
      dynamoDb = DynamoDbLocalProcess.builder().name("service-test-ddb").build().start();
    }
    return dynamoDb;
  }

  /** A fresh database; returns its JDBC URL. */
  public static String newDatabase(String prefix) {
    String name = prefix + "_" + NEXT.incrementAndGet();
    postgres().createDatabase(name);
    return postgres().jdbcUrl(name);
  }

  /** A table name no other test class uses. */
  public static String newTableName(String prefix) {
    return prefix + "-" + ProcessHandle.current().pid() + "-" + NEXT.incrementAndGet();
  }
}
