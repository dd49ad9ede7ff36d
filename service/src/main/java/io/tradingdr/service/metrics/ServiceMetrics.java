package io.tradingdr.service.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Optional;

/**
 * The service's meters. Prometheus names: {@code tdr_http_requests_seconds} (count = request rate,
 * sum/max and buckets = latency; tags method, route, status), {@code tdr_http_errors_total}
 * (responses with status 4xx/5xx; tags route, status, error), {@code tdr_writes_refused_total}
 * (writes refused by the fence or a read-only database; tag reason).
 */
public final class ServiceMetrics {

  private final MeterRegistry registry;

  public ServiceMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A registry that renders the Prometheus text format. */
  public static ServiceMetrics prometheus() {
    return new ServiceMetrics(new PrometheusMeterRegistry(PrometheusConfig.DEFAULT));
  }

  public MeterRegistry registry() {
    return registry;
  }

  public void recordRequest(String method, String route, int status, Duration elapsed) {
    Timer.builder("tdr.http.requests")
        .description("HTTP requests handled")
        .tag("method", method)
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .publishPercentileHistogram()
        .register(registry)
        .record(elapsed);
  }

  public void recordError(String route, int status, String error) {
    Counter.builder("tdr.http.errors")
        .description("responses with an error status")
        .tag("route", route)
        .tag("status", Integer.toString(status))
        .tag("error", error)
        .register(registry)
        .increment();
  }

  public void recordWriteRefused(String reason) {
    Counter.builder("tdr.writes.refused")
        .description("order writes refused by the write fence or a read-only database")
        .tag("reason", reason)
        .register(registry)
        .increment();
  }

  /** The Prometheus text exposition, when the registry is a Prometheus one. */
  public Optional<String> scrape() {
    return registry instanceof PrometheusMeterRegistry prometheus
        ? Optional.of(prometheus.scrape())
        : Optional.empty();
  }
}
