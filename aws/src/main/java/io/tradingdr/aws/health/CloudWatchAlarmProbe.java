package io.tradingdr.aws.health;

import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.core.port.HealthProbe;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.cloudwatch.CloudWatchClient;
import software.amazon.awssdk.services.cloudwatch.model.AlarmType;
import software.amazon.awssdk.services.cloudwatch.model.DescribeAlarmsResponse;

/**
 * {@link HealthProbe} that reads a CloudWatch alarm per region ({@code DescribeAlarms}, metric or
 * composite): the region is healthy only while its alarm is {@code OK}. {@code ALARM} and {@code
 * INSUFFICIENT_DATA} are unhealthy (the detail says which, with the alarm's reason); an alarm that
 * cannot be read is unhealthy with the error as detail. Never throws for an unhealthy region.
 * Read-only and idempotent.
 */
public final class CloudWatchAlarmProbe implements HealthProbe {

  /** The alarm watching one region, and CloudWatch in the region where the alarm lives. */
  public record Alarm(String name, CloudWatchClient cloudWatch) {
    public Alarm {
      if (name == null || name.isBlank() || name.length() > 255) {
        throw new IllegalArgumentException(
            "alarm name must be 1-255 characters, was '" + name + "'");
      }
      Objects.requireNonNull(cloudWatch, "cloudWatch");
    }
  }

  private final String observer;
  private final Map<RegionId, Alarm> alarms;
  private final Clock clock;

  public CloudWatchAlarmProbe(String observer, Map<RegionId, Alarm> alarms, Clock clock) {
    if (observer == null || observer.isBlank()) {
      throw new IllegalArgumentException("observer name must not be blank");
    }
    if (alarms == null || alarms.isEmpty()) {
      throw new IllegalArgumentException("at least one region's alarm is needed");
    }
    this.observer = observer;
    this.alarms = Map.copyOf(new LinkedHashMap<>(alarms));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String observer() {
    return observer;
  }

  @Override
  public ProbeResult probe(RegionId region) {
    Alarm alarm = alarms.get(Objects.requireNonNull(region, "region"));
    if (alarm == null) {
      throw new IllegalArgumentException(
          "no alarm configured for " + region + "; configured: " + alarms.keySet());
    }
    Instant at = clock.instant();
    long start = System.nanoTime();
    try {
      DescribeAlarmsResponse response =
          alarm
              .cloudWatch()
              .describeAlarms(
                  r ->
                      r.alarmNames(alarm.name())
                          .alarmTypes(AlarmType.METRIC_ALARM, AlarmType.COMPOSITE_ALARM));
      Optional<String[]> state =
          response.metricAlarms().stream()
              .map(a -> new String[] {a.stateValueAsString(), a.stateReason()})
              .findFirst()
              .or(
                  () ->
                      response.compositeAlarms().stream()
                          .map(a -> new String[] {a.stateValueAsString(), a.stateReason()})
                          .findFirst());
      Duration latency = Duration.ofNanos(System.nanoTime() - start);
      if (state.isEmpty()) {
        return new ProbeResult(
            observer, region, at, false, latency, "alarm " + alarm.name() + " not found");
      }
      String value = state.get()[0];
      String reason = state.get()[1] == null ? "" : ": " + state.get()[1];
      return new ProbeResult(
          observer,
          region,
          at,
          "OK".equals(value),
          latency,
          "alarm " + alarm.name() + " " + value + reason);
    } catch (SdkException e) {
      return new ProbeResult(
          observer,
          region,
          at,
          false,
          Duration.ofNanos(System.nanoTime() - start),
          "alarm state unknown: "
              + AwsErrors.translate("cloudwatch:DescribeAlarms(" + alarm.name() + ")", e)
                  .getMessage());
    }
  }
}
