package io.tradingdr.service.sessions;

import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbBean;
import software.amazon.awssdk.enhanced.dynamodb.mapper.annotations.DynamoDbPartitionKey;

/**
 * The DynamoDB item of a session. {@code expiresAt} (epoch seconds) is the table's TTL attribute;
 * TTL deletion is lazy, so expiry is also checked on every read.
 */
@DynamoDbBean
public class SessionItem {

  private String sessionId;
  private String accountId;
  private long createdAt;
  private long expiresAt;
  private long updatedAt;
  private String region;

  @DynamoDbPartitionKey
  public String getSessionId() {
    return sessionId;
  }

  public void setSessionId(String sessionId) {
    this.sessionId = sessionId;
  }

  public String getAccountId() {
    return accountId;
  }

  public void setAccountId(String accountId) {
    this.accountId = accountId;
  }

  public long getCreatedAt() {
    return createdAt;
  }

  public void setCreatedAt(long createdAt) {
    this.createdAt = createdAt;
  }

  public long getExpiresAt() {
    return expiresAt;
  }

  public void setExpiresAt(long expiresAt) {
    this.expiresAt = expiresAt;
  }

  /**
   * When this item was last written, epoch milliseconds: the last-writer-wins timestamp of the
   * session replication between the local regions (a global table orders writes itself).
   */
  public long getUpdatedAt() {
    return updatedAt;
  }

  public void setUpdatedAt(long updatedAt) {
    this.updatedAt = updatedAt;
  }

  /** The region that created the session (the table is global). */
  public String getRegion() {
    return region;
  }

  public void setRegion(String region) {
    this.region = region;
  }
}
