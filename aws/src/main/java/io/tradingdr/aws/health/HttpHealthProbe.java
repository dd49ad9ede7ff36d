package io.tradingdr.aws.health;

import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.region.RegionId;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * {@link HealthProbe} over HTTP: {@code GET <base URL of the region><path>} (default {@code
 * /health/ready}, the service's deep readiness check), healthy only on HTTP 200 within {@code
 * timeout}. Used by the health monitor Lambda (through each region's entry point) and by the local
 * regions.
 *
 * <p>Never throws for an unhealthy or unreachable region: a non-200 answer, a timeout or a
 * connection error is an unhealthy result whose detail says which. Read-only and idempotent.
 */
public final class HttpHealthProbe implements HealthProbe {

  public static final String DEFAULT_PATH = "/health/ready";
  private static final int DETAIL_BODY_CHARS = 200;

  private final String observer;
  private final Map<RegionId, URI> targets;
  private final Duration timeout;
  private final Clock clock;
  private final HttpClient http;

  /**
   * @param baseUrls each region's base URL (scheme, host, port), e.g. {@code
   *     https://api.example.com}
   * @param path the readiness path, starting with '/'
   */
  public HttpHealthProbe(
      String observer, Map<RegionId, URI> baseUrls, String path, Duration timeout, Clock clock) {
    if (observer == null || observer.isBlank()) {
      throw new IllegalArgumentException("observer name must not be blank");
    }
    if (baseUrls == null || baseUrls.isEmpty()) {
      throw new IllegalArgumentException("at least one region's base URL is needed");
    }
    if (path == null || !path.startsWith("/")) {
      throw new IllegalArgumentException(
          "probe path '" + path + "' is invalid: it must start with '/'");
    }
    if (timeout == null || timeout.isNegative() || timeout.isZero()) {
      throw new IllegalArgumentException(
          "probe timeout must be a positive duration, was " + timeout);
    }
    Map<RegionId, URI> resolved = new LinkedHashMap<>();
    baseUrls.forEach(
        (region, base) -> {
          if (base == null
              || !("http".equals(base.getScheme()) || "https".equals(base.getScheme()))
              || base.getHost() == null) {
            throw new IllegalArgumentException(
                "base URL of " + region + " '" + base + "' is invalid: use http(s)://host[:port]");
          }
          String b = base.toString();
          resolved.put(
              region, URI.create((b.endsWith("/") ? b.substring(0, b.length() - 1) : b) + path));
        });
    this.observer = observer;
    this.targets = Map.copyOf(resolved);
    this.timeout = timeout;
    this.clock = Objects.requireNonNull(clock, "clock");
    this.http =
        HttpClient.newBuilder()
            .connectTimeout(timeout)
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
  }

  @Override
  public String observer() {
    return observer;
  }

  @Override
  public ProbeResult probe(RegionId region) {
    URI target = targets.get(Objects.requireNonNull(region, "region"));
    if (target == null) {
      throw new IllegalArgumentException(
          "no probe URL configured for " + region + "; configured: " + targets.keySet());
    }
    Instant at = clock.instant();
    long start = System.nanoTime();
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(target)
                  .timeout(timeout)
                  .header("Accept", "application/json")
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      Duration latency = Duration.ofNanos(System.nanoTime() - start);
      String body = response.body() == null ? "" : response.body().strip();
      String snippet =
          body.length() > DETAIL_BODY_CHARS ? body.substring(0, DETAIL_BODY_CHARS) + "..." : body;
      return new ProbeResult(
          observer,
          region,
          at,
          response.statusCode() == 200,
          latency,
          "HTTP "
              + response.statusCode()
              + " from "
              + target
              + (snippet.isEmpty() ? "" : ": " + snippet));
    } catch (HttpTimeoutException e) {
      return failed(region, at, start, "timeout after " + timeout + " on " + target);
    } catch (IOException e) {
      return failed(
          region, at, start, "no answer from " + target + ": " + AwsErrors.rootMessage(e));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return failed(region, at, start, "interrupted while probing " + target);
    }
  }

  private ProbeResult failed(RegionId region, Instant at, long start, String detail) {
    return new ProbeResult(
        observer, region, at, false, Duration.ofNanos(System.nanoTime() - start), detail);
  }
}
