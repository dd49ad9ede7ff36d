package io.tradingdr.aws.autoscaling;

import io.tradingdr.aws.common.AwsErrors;
import io.tradingdr.aws.common.Polling;
import io.tradingdr.aws.common.Polling.Check;
import io.tradingdr.core.port.CapacityManager;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;

/**
 * {@link CapacityManager} on one EC2 Auto Scaling group per region.
 *
 * <p>{@link #scaleTo}: reads the group ({@code DescribeAutoScalingGroups}); when {@code desired}
 * lies within [MinSize, MaxSize] it calls {@code SetDesiredCapacity} (HonorCooldown=false, a
 * failover must not wait for a cooldown); otherwise {@code UpdateAutoScalingGroup} sets the desired
 * capacity and widens only the bound in the way (MaxSize raised to {@code desired} when scaling
 * past it, MinSize lowered to {@code desired} when scaling below it), so the profile's other bound
 * is kept. It then polls until exactly {@code desired} instances are {@code InService} and {@code
 * Healthy}. Idempotent: a group already at {@code desired} gets no write.
 *
 * <p>Errors: access denied, an unknown group or a limit are {@link RefusedException}s; throttling
 * is retried with backoff, then, like timeouts, an {@link
 * io.tradingdr.core.port.UnreachableException}; so is a wait that passes {@code timeout}.
 */
public final class AutoScalingCapacity implements CapacityManager {

  /** The group of one region and the client of that region. */
  public record Group(String name, AutoScalingClient client) {
    public Group {
      if (name == null || name.isBlank() || name.length() > 255) {
        throw new IllegalArgumentException(
            "Auto Scaling group name must be 1-255 characters, was '" + name + "'");
      }
      Objects.requireNonNull(client, "client");
    }
  }

  private final Map<RegionId, Group> groups;
  private final Polling polling;

  public AutoScalingCapacity(Map<RegionId, Group> groups, Clock clock, Duration pollInterval) {
    if (groups == null || groups.isEmpty()) {
      throw new IllegalArgumentException("at least one region's Auto Scaling group is needed");
    }
    this.groups = Map.copyOf(new LinkedHashMap<>(groups));
    this.polling = new Polling(clock, pollInterval);
  }

  @Override
  public int inService(RegionId region) {
    return inService(describe(group(region)));
  }

  @Override
  public void scaleTo(RegionId region, int desired, Duration timeout) {
    if (desired < 0) {
      throw new IllegalArgumentException("desired capacity must be >= 0, was " + desired);
    }
    Group group = group(region);
    AutoScalingGroup current = describe(group);
    try {
      if (desired > current.maxSize() || desired < current.minSize()) {
        group
            .client()
            .updateAutoScalingGroup(
                r ->
                    r.autoScalingGroupName(group.name())
                        .desiredCapacity(desired)
                        .maxSize(Math.max(current.maxSize(), desired))
                        .minSize(Math.min(current.minSize(), desired)));
      } else if (current.desiredCapacity() != desired) {
        group
            .client()
            .setDesiredCapacity(
                r ->
                    r.autoScalingGroupName(group.name())
                        .desiredCapacity(desired)
                        .honorCooldown(false));
      }
    } catch (SdkException e) {
      throw AwsErrors.translate(
          "autoscaling:SetDesiredCapacity/UpdateAutoScalingGroup(" + group.name() + ")", e);
    }
    polling.until(
        "scaling " + group.name() + " in " + region + " to " + desired + " in service",
        timeout,
        () -> {
          int now = inService(describe(group));
          return now == desired
              ? Check.done(Boolean.TRUE, now + " in service")
              : Check.notYet(now + " of " + desired + " in service");
        });
  }

  private static int inService(AutoScalingGroup group) {
    return (int)
        group.instances().stream()
            .filter(i -> i.lifecycleState() == LifecycleState.IN_SERVICE)
            .filter(AutoScalingCapacity::healthy)
            .count();
  }

  private static boolean healthy(Instance instance) {
    return instance.healthStatus() == null || "Healthy".equalsIgnoreCase(instance.healthStatus());
  }

  private AutoScalingGroup describe(Group group) {
    try {
      return group
          .client()
          .describeAutoScalingGroups(r -> r.autoScalingGroupNames(group.name()))
          .autoScalingGroups()
          .stream()
          .findFirst()
          .orElseThrow(
              () -> new RefusedException("Auto Scaling group " + group.name() + " not found"));
    } catch (SdkException e) {
      throw AwsErrors.translate("autoscaling:DescribeAutoScalingGroups(" + group.name() + ")", e);
    }
  }

  private Group group(RegionId region) {
    Group g = groups.get(Objects.requireNonNull(region, "region"));
    if (g == null) {
      throw new IllegalArgumentException(
          "no Auto Scaling group configured for " + region + "; configured: " + groups.keySet());
    }
    return g;
  }
}
