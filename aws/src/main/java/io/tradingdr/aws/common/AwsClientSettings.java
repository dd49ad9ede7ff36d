package io.tradingdr.aws.common;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.api.BackoffStrategy;

/**
 * How every SDK client of this module is built: region, optional endpoint override, credentials,
 * HTTP client, retry strategy and timeouts. Immutable; validated in its builder.
 *
 * <p>Retries: the SDK's standard strategy (which already knows the AWS throttling and transient
 * error codes) with {@code maxAttempts} attempts, exponential backoff with jitter from {@code
 * baseDelay} up to {@code maxBackoff}, and its circuit breaker off so that a failover never skips a
 * retry because earlier calls drained the token bucket. What still fails after the last attempt is
 * translated by {@link AwsErrors}.
 *
 * <p>HTTP client: {@link UrlConnectionHttpClient}. It is built on the JDK's HttpURLConnection, so a
 * Lambda cold start loads no Apache HttpClient or Netty classes (the smallest and fastest start);
 * the orchestrator issues a few sequential calls per run and needs no large connection pool.
 *
 * @param region SDK region the client signs for and sends to
 * @param endpointOverride endpoint to use instead of the regional AWS endpoint (tests, DynamoDB
 *     Local)
 * @param maxAttempts attempts per call including the first (default 4)
 * @param baseDelay first backoff delay (default 100 ms)
 * @param maxBackoff largest backoff delay (default 2 s)
 * @param apiCallAttemptTimeout one HTTP attempt (default 5 s)
 * @param apiCallTimeout a whole call with its retries (default 20 s)
 * @param connectTimeout TCP connect (default 2 s)
 */
public record AwsClientSettings(
    Region region,
    Optional<URI> endpointOverride,
    AwsCredentialsProvider credentials,
    int maxAttempts,
    Duration baseDelay,
    Duration maxBackoff,
    Duration apiCallAttemptTimeout,
    Duration apiCallTimeout,
    Duration connectTimeout) {

  public AwsClientSettings {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(endpointOverride, "endpointOverride");
    Objects.requireNonNull(credentials, "credentials");
  }

  public static Builder builder(String region) {
    return new Builder(region);
  }

  /** A copy for another region, same endpoint, credentials, retries and timeouts. */
  public AwsClientSettings inRegion(String otherRegion) {
    return toBuilder().region(otherRegion).build();
  }

  public Builder toBuilder() {
    Builder b = new Builder(region.id());
    b.endpointOverride = endpointOverride.orElse(null);
    b.credentials = credentials;
    b.maxAttempts = maxAttempts;
    b.baseDelay = baseDelay;
    b.maxBackoff = maxBackoff;
    b.apiCallAttemptTimeout = apiCallAttemptTimeout;
    b.apiCallTimeout = apiCallTimeout;
    b.connectTimeout = connectTimeout;
    return b;
  }

  /** Applies these settings to an SDK client builder and builds the client. */
  public <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> C build(B builder) {
    builder
        .region(region)
        .credentialsProvider(credentials)
        .httpClientBuilder(
            UrlConnectionHttpClient.builder()
                .connectionTimeout(connectTimeout)
                .socketTimeout(apiCallAttemptTimeout))
        .overrideConfiguration(
            ClientOverrideConfiguration.builder()
                .retryStrategy(
                    AwsRetryStrategy.standardRetryStrategy().toBuilder()
                        .maxAttempts(maxAttempts)
                        .backoffStrategy(BackoffStrategy.exponentialDelay(baseDelay, maxBackoff))
                        .throttlingBackoffStrategy(
                            BackoffStrategy.exponentialDelay(baseDelay.multipliedBy(2), maxBackoff))
                        .circuitBreakerEnabled(false)
                        .build())
                .apiCallAttemptTimeout(apiCallAttemptTimeout)
                .apiCallTimeout(apiCallTimeout)
                .build());
    endpointOverride.ifPresent(builder::endpointOverride);
    return builder.build();
  }

  /** Builder with the documented defaults. */
  public static final class Builder {
    private String region;
    private URI endpointOverride;
    private AwsCredentialsProvider credentials;
    private int maxAttempts = 4;
    private Duration baseDelay = Duration.ofMillis(100);
    private Duration maxBackoff = Duration.ofSeconds(2);
    private Duration apiCallAttemptTimeout = Duration.ofSeconds(5);
    private Duration apiCallTimeout = Duration.ofSeconds(20);
    private Duration connectTimeout = Duration.ofSeconds(2);

    private Builder(String region) {
      this.region = region;
    }

    public Builder region(String value) {
      this.region = value;
      return this;
    }

    public Builder endpointOverride(URI value) {
      this.endpointOverride = value;
      return this;
    }

    public Builder credentials(AwsCredentialsProvider value) {
      this.credentials = value;
      return this;
    }

    public Builder maxAttempts(int value) {
      this.maxAttempts = value;
      return this;
    }

    public Builder baseDelay(Duration value) {
      this.baseDelay = value;
      return this;
    }

    public Builder maxBackoff(Duration value) {
      this.maxBackoff = value;
      return this;
    }

    public Builder apiCallAttemptTimeout(Duration value) {
      this.apiCallAttemptTimeout = value;
      return this;
    }

    public Builder apiCallTimeout(Duration value) {
      this.apiCallTimeout = value;
      return this;
    }

    public Builder connectTimeout(Duration value) {
      this.connectTimeout = value;
      return this;
    }

    public AwsClientSettings build() {
      if (region == null || !region.matches("[a-z]{2}(-[a-z]+)+-\\d+")) {
        throw new IllegalArgumentException(
            "region '" + region + "' is invalid: use an AWS region code such as us-east-1");
      }
      if (maxAttempts < 1 || maxAttempts > 10) {
        throw new IllegalArgumentException(
            "maxAttempts must be between 1 and 10, was " + maxAttempts);
      }
      requirePositive("baseDelay", baseDelay);
      requirePositive("maxBackoff", maxBackoff);
      requirePositive("apiCallAttemptTimeout", apiCallAttemptTimeout);
      requirePositive("apiCallTimeout", apiCallTimeout);
      requirePositive("connectTimeout", connectTimeout);
      if (maxBackoff.compareTo(baseDelay) < 0) {
        throw new IllegalArgumentException(
            "maxBackoff ("
                + maxBackoff
                + ") must not be shorter than baseDelay ("
                + baseDelay
                + ")");
      }
      if (endpointOverride != null
          && !("http".equals(endpointOverride.getScheme())
              || "https".equals(endpointOverride.getScheme()))) {
        throw new IllegalArgumentException(
            "endpointOverride '" + endpointOverride + "' is invalid: use an http or https URL");
      }
      return new AwsClientSettings(
          Region.of(region),
          Optional.ofNullable(endpointOverride),
          credentials != null ? credentials : DefaultCredentialsProvider.builder().build(),
          maxAttempts,
          baseDelay,
          maxBackoff,
          apiCallAttemptTimeout,
          apiCallTimeout,
          connectTimeout);
    }

    private static void requirePositive(String name, Duration value) {
      if (value == null || value.isZero() || value.isNegative()) {
        throw new IllegalArgumentException(name + " must be a positive duration, was " + value);
      }
    }
  }
}
