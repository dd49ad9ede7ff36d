package io.tradingdr.aws.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import io.tradingdr.aws.common.AwsClientSettings;
import io.tradingdr.aws.health.CloudWatchHealthMetrics;
import io.tradingdr.aws.health.HealthMetrics;
import io.tradingdr.aws.health.HttpHealthProbe;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.region.RegionId;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;

/**
 * Scheduled Lambda (EventBridge rate rule): probes every region's deep readiness check and
 * publishes {@code RegionHealthy} (0/1) and {@code ProbeLatency} (ms) to CloudWatch in its own
 * region, dimensions {@code Region} and {@code Observer}. The event's content is ignored; the
 * result lists what each region showed. A failed publish fails the invocation (visible in the
 * function's Errors metric).
 *
 * <p>Environment (read once, by the no-arg constructor, with the clients built once per container):
 *
 * <ul>
 *   <li>{@code TDR_MONITOR_TARGETS} (required): {@code region=baseUrl} pairs, comma-separated, e.g.
 *       {@code us-east-1=https://primary.example.com,us-east-2=https://standby.example.com}
 *   <li>{@code TDR_MONITOR_PATH}: readiness path, default {@code /health/ready}
 *   <li>{@code TDR_MONITOR_TIMEOUT_MS}: per-probe timeout, default 3000
 *   <li>{@code TDR_MONITOR_OBSERVER}: the Observer dimension, default {@code monitor-<region>}
 *   <li>{@code TDR_METRIC_NAMESPACE}: default {@code TradingDR/Health}
 *   <li>{@code TDR_AWS_REGION}: CloudWatch's region, default {@code AWS_REGION} (set by Lambda)
 * </ul>
 */
public final class HealthMonitorHandler
    implements RequestHandler<Map<String, Object>, Map<String, Object>> {

  private final HealthProbe probe;
  private final List<RegionId> regions;
  private final HealthMetrics metrics;

  /** Lambda's entry: configuration from the environment. */
  public HealthMonitorHandler() {
    this(Config.from(System.getenv()));
  }

  private HealthMonitorHandler(Config config) {
    this(
        new HttpHealthProbe(
            config.observer(),
            config.targets(),
            config.path(),
            config.timeout(),
            Clock.systemUTC()),
        List.copyOf(config.targets().keySet()),
        new CloudWatchHealthMetrics(
            AwsClientSettings.builder(config.awsRegion()).build().build(CloudWatchClient.builder()),
            config.namespace()));
  }

  /** For tests and other wiring: the probe, the regions it probes, and where results go. */
  public HealthMonitorHandler(HealthProbe probe, List<RegionId> regions, HealthMetrics metrics) {
    this.probe = Objects.requireNonNull(probe, "probe");
    if (regions == null || regions.isEmpty()) {
      throw new IllegalArgumentException("at least one region to probe is needed");
    }
    this.regions = List.copyOf(regions);
    this.metrics = Objects.requireNonNull(metrics, "metrics");
  }

  @Override
  public Map<String, Object> handleRequest(Map<String, Object> event, Context context) {
    List<ProbeResult> results = new ArrayList<>();
    for (RegionId region : regions) {
      results.add(probe.probe(region));
    }
    metrics.publish(results);
    Map<String, Object> summary = new LinkedHashMap<>();
    for (ProbeResult r : results) {
      summary.put(
          r.region().value(),
          Map.of(
              "healthy", r.healthy(), "latencyMs", r.latency().toMillis(), "detail", r.detail()));
    }
    return summary;
  }

  /** The handler's environment, parsed and validated. */
  record Config(
      Map<RegionId, URI> targets,
      String path,
      Duration timeout,
      String observer,
      String namespace,
      String awsRegion) {

    static Config from(Map<String, String> env) {
      String awsRegion = firstNonBlank(env.get("TDR_AWS_REGION"), env.get("AWS_REGION"));
      if (awsRegion == null) {
        throw new IllegalArgumentException(
            "TDR_AWS_REGION (or AWS_REGION) is required: the region CloudWatch metrics go to");
      }
      String raw = env.get("TDR_MONITOR_TARGETS");
      if (raw == null || raw.isBlank()) {
        throw new IllegalArgumentException(
            "TDR_MONITOR_TARGETS is required: region=baseUrl pairs, comma-separated,"
                + " e.g. us-east-1=https://primary.example.com,us-east-2=https://standby.example.com");
      }
      Map<RegionId, URI> targets = new LinkedHashMap<>();
      for (String pair : raw.split(",")) {
        int eq = pair.indexOf('=');
        if (eq <= 0 || eq == pair.length() - 1) {
          throw new IllegalArgumentException(
              "TDR_MONITOR_TARGETS entry '" + pair.strip() + "' is invalid: use region=baseUrl");
        }
        targets.put(
            RegionId.of(pair.substring(0, eq).strip()), URI.create(pair.substring(eq + 1).strip()));
      }
      long timeoutMs;
      String rawTimeout = firstNonBlank(env.get("TDR_MONITOR_TIMEOUT_MS"), "3000");
      try {
        timeoutMs = Long.parseLong(rawTimeout);
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            "TDR_MONITOR_TIMEOUT_MS '" + rawTimeout + "' is invalid: use milliseconds, e.g. 3000",
            e);
      }
      if (timeoutMs < 1 || timeoutMs > 60_000) {
        throw new IllegalArgumentException(
            "TDR_MONITOR_TIMEOUT_MS must be between 1 and 60000, was " + timeoutMs);
      }
      return new Config(
          targets,
          firstNonBlank(env.get("TDR_MONITOR_PATH"), HttpHealthProbe.DEFAULT_PATH),
          Duration.ofMillis(timeoutMs),
          firstNonBlank(env.get("TDR_MONITOR_OBSERVER"), "monitor-" + awsRegion),
          firstNonBlank(env.get("TDR_METRIC_NAMESPACE"), CloudWatchHealthMetrics.DEFAULT_NAMESPACE),
          awsRegion);
    }

    private static String firstNonBlank(String a, String b) {
      return a != null && !a.isBlank() ? a.strip() : b;
    }
  }
}
