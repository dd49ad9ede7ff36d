package io.tradingdr.local.sessions;

import static org.assertj.core.api.Assertions.assertThat;

import io.tradingdr.procs.DynamoDbLocalProcess;
import io.tradingdr.procs.RunDirectory;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.streams.DynamoDbStreamsClient;

class DynamoDbSessionReplicatorTest {

  private static final String TABLE = "sessions";
  private static final Duration WAIT = Duration.ofSeconds(10);

  @TempDir static Path dir;
  private static DynamoDbLocalProcess storeA;
  private static DynamoDbLocalProcess storeB;
  private static DynamoDbClient a;
  private static DynamoDbClient b;
  private static DynamoDbSessionReplicator replicator;

  @BeforeAll
  static void start() {
    RunDirectory run = RunDirectory.at(dir);
    storeA = DynamoDbLocalProcess.builder().name("sessions-a").runDirectory(run).build();
    storeB = DynamoDbLocalProcess.builder().name("sessions-b").runDirectory(run).build();
    // Two JVMs start faster side by side than one after the other.
    CompletableFuture<DynamoDbLocalProcess> startingB =
        CompletableFuture.supplyAsync(storeB::start);
    storeA.start();
    startingB.join();
    a = client(storeA.endpoint());
    b = client(storeB.endpoint());
    for (DynamoDbClient client : new DynamoDbClient[] {a, b}) {
      client.createTable(
          t ->
              t.tableName(TABLE)
                  .keySchema(
                      KeySchemaElement.builder()
                          .attributeName("sessionId")
                          .keyType(KeyType.HASH)
                          .build())
                  .attributeDefinitions(
                      AttributeDefinition.builder()
                          .attributeName("sessionId")
                          .attributeType(ScalarAttributeType.S)
                          .build())
                  .billingMode("PAY_PER_REQUEST"));
    }
    replicator =
        new DynamoDbSessionReplicator(
            side("region-a", storeA.endpoint()),
            side("region-b", storeB.endpoint()),
            TABLE,
            "updatedAt",
            Clock.systemUTC());
    replicator.start(WAIT);
  }

  @AfterAll
  static void stop() {
    if (replicator != null) {
      replicator.close();
    }
    if (storeA != null) {
      storeA.stop();
      storeB.stop();
      assertThat(storeA.isRunning()).isFalse();
      assertThat(storeB.isRunning()).isFalse();
    }
  }

  @Test
  void aChangeInEitherRegion_appearsInTheOther_andItsLagIsMeasured() {
    long before = replicator.lag().count();
    put(a, "s-1", System.currentTimeMillis(), "alice");
    put(b, "s-2", System.currentTimeMillis(), "bob");

    assertThat(await(() -> user(b, "s-1"))).contains("alice");
    assertThat(await(() -> user(a, "s-2"))).contains("bob");
    assertThat(awaitLagSamples(before + 2)).isTrue();
    assertThat(replicator.failure()).isEmpty();
  }

  @Test
  void aBurstOfChanges_allArrive_andTheLagIsPrinted() {
    LagRecorder.Summary before = replicator.lag();
    for (int i = 0; i < 50; i++) {
      put(i % 2 == 0 ? a : b, "burst-" + i, System.currentTimeMillis(), "u" + i);
    }

    for (int i = 0; i < 50; i++) {
      String id = "burst-" + i;
      DynamoDbClient other = i % 2 == 0 ? b : a;
      assertThat(await(() -> user(other, id))).contains("u" + i);
    }
    assertThat(awaitLagSamples(before.count() + 50)).isTrue();
    System.out.println("session replication lag (last samples): " + replicator.lag());
  }

  @Test
  void concurrentUpdatesOfOneItem_convergeOnTheNewestTimestamp_inBothRegions() {
    long now = System.currentTimeMillis();
    // Both regions write before either change has crossed: whichever crosses first, the copy of
    // the older version must not overwrite the newer one.
    put(a, "s-3", now, "older-from-a");
    put(b, "s-3", now + 5, "newer-from-b");

    assertThat(await(() -> user(a, "s-3").filter("newer-from-b"::equals))).contains("newer-from-b");
    settle();
    assertThat(user(a, "s-3")).contains("newer-from-b");
    assertThat(user(b, "s-3")).contains("newer-from-b");
  }

  @Test
  void aReplicatedWrite_isNotSentBack() {
    put(a, "s-4", System.currentTimeMillis(), "once");
    await(() -> user(b, "s-4"));
    settle();
    long applied = replicator.appliedCount();

    settle();

    assertThat(replicator.appliedCount()).isEqualTo(applied);
    assertThat(user(a, "s-4")).contains("once");
  }

  @Test
  void aDeletion_isReplicated() {
    put(a, "s-5", System.currentTimeMillis(), "bye");
    await(() -> user(b, "s-5"));

    a.deleteItem(d -> d.tableName(TABLE).key(Map.of("sessionId", AttributeValue.fromS("s-5"))));

    long deadline = System.nanoTime() + WAIT.toNanos();
    while (user(b, "s-5").isPresent() && System.nanoTime() < deadline) {
      pause(20);
    }
    assertThat(user(b, "s-5")).isEmpty();
  }

  private static void put(DynamoDbClient client, String id, long updatedAt, String user) {
    client.putItem(
        p ->
            p.tableName(TABLE)
                .item(
                    Map.of(
                        "sessionId", AttributeValue.fromS(id),
                        "user", AttributeValue.fromS(user),
                        "updatedAt", AttributeValue.fromN(Long.toString(updatedAt)))));
  }

  private static Optional<String> user(DynamoDbClient client, String id) {
    Map<String, AttributeValue> item =
        client
            .getItem(
                g ->
                    g.tableName(TABLE)
                        .consistentRead(true)
                        .key(Map.of("sessionId", AttributeValue.fromS(id))))
            .item();
    return item == null || item.isEmpty() ? Optional.empty() : Optional.of(item.get("user").s());
  }

  private static Optional<String> await(Supplier<Optional<String>> read) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    Optional<String> value = read.get();
    while (value.isEmpty() && System.nanoTime() < deadline) {
      pause(10);
      value = read.get();
    }
    return value;
  }

  /** The lag is recorded just after a copy is written, so the copy can be seen first. */
  private static boolean awaitLagSamples(long atLeast) {
    return await(
            () -> replicator.lag().count() >= atLeast ? Optional.of("recorded") : Optional.empty())
        .isPresent();
  }

  /** Long enough for any echo to have gone round both streams. */
  private static void settle() {
    pause(500);
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static DynamoDbClient client(URI endpoint) {
    return DynamoDbClient.builder()
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
        .build();
  }

  private static DynamoDbSessionReplicator.Side side(String region, URI endpoint) {
    return new DynamoDbSessionReplicator.Side(
        region,
        client(endpoint),
        DynamoDbStreamsClient.builder()
            .endpointOverride(endpoint)
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")))
            .build());
  }
}
