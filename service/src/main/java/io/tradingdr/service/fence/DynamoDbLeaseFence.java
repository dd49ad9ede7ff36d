package io.tradingdr.service.fence;

import io.tradingdr.aws.common.AwsClientSettings;
import io.tradingdr.aws.dynamodb.DynamoDbControlStore;
import io.tradingdr.core.config.Durations;
import io.tradingdr.core.fence.LeaseWriteFence;
import io.tradingdr.core.fence.WriteFence;
import io.tradingdr.core.fence.WritePermit;
import io.tradingdr.service.config.ServiceConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

/**
 * The service's write fence when TDR_CONTROL_TABLE is set: the core {@link LeaseWriteFence} on the
 * control store's write lease ({@link DynamoDbControlStore}), renewed every third of
 * TDR_WRITE_LEASE_TTL on its own daemon thread. It owns that thread and the DynamoDB client, and
 * {@link #close()} releases both.
 *
 * <p>A region whose lease cannot be renewed stops admitting TDR_WRITE_LEASE_SAFETY_MARGIN before
 * the lease expires; a revoked or moved lease stops it at the next renewal. Refusal reasons start
 * with {@code writeLease}.
 */
public final class DynamoDbLeaseFence implements WriteFence, AutoCloseable {

  private final DynamoDbClient dynamoDb;
  private final LeaseWriteFence fence;
  private final ScheduledExecutorService renewals;
  private final String description;

  private DynamoDbLeaseFence(
      DynamoDbClient dynamoDb,
      LeaseWriteFence fence,
      ScheduledExecutorService renewals,
      String description) {
    this.dynamoDb = dynamoDb;
    this.fence = fence;
    this.renewals = renewals;
    this.description = description;
  }

  /**
   * Builds the fence for {@code config.region()} and renews once before returning, so a region that
   * holds the lease admits writes at once. A store that does not answer is not fatal here: the
   * fence refuses until a renewal succeeds.
   */
  public static DynamoDbLeaseFence start(ServiceConfig config, Clock clock) {
    String table =
        config
            .controlTable()
            .orElseThrow(() -> new IllegalArgumentException("TDR_CONTROL_TABLE is not set"));
    DynamoDbClient dynamoDb = controlClient(config);
    LeaseWriteFence fence;
    try {
      fence =
          new LeaseWriteFence(
              config.region(),
              new DynamoDbControlStore(dynamoDb, table, clock),
              clock,
              config.writeLeaseTtl(),
              config.writeLeaseSafetyMargin());
    } catch (RuntimeException e) {
      dynamoDb.close();
      throw e;
    }
    ScheduledExecutorService renewals =
        Executors.newSingleThreadScheduledExecutor(
            task -> {
              Thread thread = new Thread(task, threadName(config));
              // Renewals must never keep the JVM (or a frozen Lambda sandbox) alive on their own.
              thread.setDaemon(true);
              return thread;
            });
    fence.refresh();
    fence.start(renewals);
    return new DynamoDbLeaseFence(
        dynamoDb,
        fence,
        renewals,
        "lease fence of "
            + config.region()
            + " on "
            + table
            + " (ttl "
            + Durations.format(config.writeLeaseTtl())
            + ", safety margin "
            + Durations.format(config.writeLeaseSafetyMargin())
            + ")");
  }

  /** The renewal thread's name, {@code tdr-write-lease-<region>}. */
  public static String threadName(ServiceConfig config) {
    return "tdr-write-lease-" + config.region();
  }

  private static DynamoDbClient controlClient(ServiceConfig config) {
    // A renewal that takes longer than the TTL cannot extend the lease (it counts from the send),
    // and one slow attempt must not use up the renewal period: give up and try again instead.
    Duration ttl = config.writeLeaseTtl();
    Duration attempt = shorter(Duration.ofSeconds(2), ttl.dividedBy(3));
    AwsClientSettings.Builder settings =
        AwsClientSettings.builder(config.controlRegion())
            .connectTimeout(attempt)
            .apiCallAttemptTimeout(attempt)
            .apiCallTimeout(ttl);
    config
        .controlEndpoint()
        .ifPresent(
            endpoint -> {
              settings.endpointOverride(endpoint);
              if (System.getenv("AWS_ACCESS_KEY_ID") == null) {
                // DynamoDB Local ignores credentials but the SDK insists on some.
                settings.credentials(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("local", "local")));
              }
            });
    return settings.build().build(DynamoDbClient.builder());
  }

  private static Duration shorter(Duration a, Duration b) {
    return a.compareTo(b) <= 0 ? a : b;
  }

  @Override
  public WritePermit admit() {
    return fence.admit();
  }

  /** One renewal now (tests; the daemon thread renews on its own). */
  public void refresh() {
    fence.refresh();
  }

  @Override
  public void close() {
    fence.close();
    renewals.shutdownNow();
    try {
      // A renewal in flight is interrupted; let it unwind before its client closes.
      renewals.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    dynamoDb.close();
  }

  @Override
  public String toString() {
    return description;
  }
}
