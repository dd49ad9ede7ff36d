package io.tradingdr.service.sessions;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbEnhancedClient;
import software.amazon.awssdk.enhanced.dynamodb.DynamoDbTable;
import software.amazon.awssdk.enhanced.dynamodb.Key;
import software.amazon.awssdk.enhanced.dynamodb.TableSchema;
import software.amazon.awssdk.enhanced.dynamodb.model.GetItemEnhancedRequest;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceNotFoundException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.TimeToLiveSpecification;

/**
 * Sessions in DynamoDB through the enhanced client: the same code against DynamoDB Local (endpoint
 * overridden) and the global table in AWS. Expiry is checked on read; the TTL attribute only cleans
 * up.
 */
public final class DynamoDbSessionStore {

  /** The TTL attribute of the sessions table. */
  public static final String TTL_ATTRIBUTE = "expiresAt";

  private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9_-]{22,64}");
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DynamoDbClient client;
  private final DynamoDbTable<SessionItem> table;
  private final String tableName;
  private final Clock clock;
  private final String region;

  public DynamoDbSessionStore(DynamoDbClient client, String tableName, String region, Clock clock) {
    this.client = client;
    this.tableName = tableName;
    this.region = region;
    this.clock = clock;
    this.table =
        DynamoDbEnhancedClient.builder()
            .dynamoDbClient(client)
            .build()
            .table(tableName, TableSchema.fromBean(SessionItem.class));
  }

  /** Creates a session that lasts {@code ttl}. */
  public Session create(String accountId, Duration ttl) {
    byte[] random = new byte[24];
    RANDOM.nextBytes(random);
    String id = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
    Instant now = clock.instant();
    Instant expires = now.plus(ttl);
    SessionItem item = new SessionItem();
    item.setSessionId(id);
    item.setAccountId(accountId);
    item.setCreatedAt(now.getEpochSecond());
    item.setExpiresAt(expires.getEpochSecond());
    item.setUpdatedAt(now.toEpochMilli());
    item.setRegion(region);
    try {
      table.putItem(item);
    } catch (SdkException e) {
      throw unavailable("create session", e);
    }
    return new Session(
        id,
        accountId,
        Instant.ofEpochSecond(now.getEpochSecond()),
        Instant.ofEpochSecond(expires.getEpochSecond()));
  }

  /** The unexpired session with this id; empty when unknown, malformed or expired. */
  public Optional<Session> find(String sessionId) {
    if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
      return Optional.empty();
    }
    SessionItem item;
    try {
      item =
          table.getItem(
              GetItemEnhancedRequest.builder()
                  .key(Key.builder().partitionValue(sessionId).build())
                  .consistentRead(true)
                  .build());
    } catch (SdkException e) {
      throw unavailable("read session", e);
    }
    if (item == null) {
      return Optional.empty();
    }
    Session session =
        new Session(
            item.getSessionId(),
            item.getAccountId(),
            Instant.ofEpochSecond(item.getCreatedAt()),
            Instant.ofEpochSecond(item.getExpiresAt()));
    return session.isExpiredAt(clock.instant()) ? Optional.empty() : Optional.of(session);
  }

  /** Deletes the session. Idempotent. */
  public void delete(String sessionId) {
    if (sessionId == null || !SESSION_ID.matcher(sessionId).matches()) {
      return;
    }
    try {
      table.deleteItem(Key.builder().partitionValue(sessionId).build());
    } catch (SdkException e) {
      throw unavailable("delete session", e);
    }
  }

  /** True when the table answers a DescribeTable. */
  public boolean isReachable() {
    try {
      client.describeTable(r -> r.tableName(tableName));
      return true;
    } catch (SdkException e) {
      return false;
    }
  }

  /**
   * Creates the table (on-demand, TTL on {@value #TTL_ATTRIBUTE}) when it does not exist. Only for
   * DynamoDB Local: in AWS the table is a global table owned by the infrastructure.
   */
  public void createTableIfMissing() {
    try {
      client.describeTable(r -> r.tableName(tableName));
      return;
    } catch (ResourceNotFoundException e) {
      // create it below
    }
    client.createTable(
        r ->
            r.tableName(tableName)
                .billingMode(BillingMode.PAY_PER_REQUEST)
                .keySchema(
                    KeySchemaElement.builder()
                        .attributeName("sessionId")
                        .keyType(KeyType.HASH)
                        .build())
                .attributeDefinitions(
                    AttributeDefinition.builder()
                        .attributeName("sessionId")
                        .attributeType(ScalarAttributeType.S)
                        .build()));
    client.waiter().waitUntilTableExists(r -> r.tableName(tableName));
    client.updateTimeToLive(
        r ->
            r.tableName(tableName)
                .timeToLiveSpecification(
                    TimeToLiveSpecification.builder()
                        .attributeName(TTL_ATTRIBUTE)
                        .enabled(true)
                        .build()));
  }

  private SessionStoreUnavailableException unavailable(String action, SdkException e) {
    return new SessionStoreUnavailableException(
        action + ": the session store (DynamoDB table " + tableName + ") did not answer", e);
  }
}
