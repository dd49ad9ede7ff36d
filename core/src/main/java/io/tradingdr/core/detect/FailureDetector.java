package io.tradingdr.core.detect;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.port.ProbeResult;
import io.tradingdr.core.region.RegionId;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Decides whether a region is down from the probe results of several observers.
 *
 * <p>Per observer and region: {@code failureThreshold} consecutive failures make the observer call
 * the region down; once down, it calls it up again only after {@code recoveryThreshold} consecutive
 * successes (hysteresis, so a flapping region does not bounce between states). A result older than
 * three check intervals counts as missing. The region is {@link RegionHealth#DOWN} only when every
 * required observer ({@code detectionObservers}) calls it down; any disagreement or missing view is
 * {@link RegionHealth#DISPUTED}, which never triggers a failover.
 *
 * <p>Thread-safe. Results from observers not in the configuration are ignored (and logged once by
 * the caller, if it wishes).
 */
public final class FailureDetector {

  private final OrchestratorConfig config;
  private final Clock clock;
  private final Map<Key, Counter> counters = new HashMap<>();

  public FailureDetector(OrchestratorConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
  }

  private record Key(RegionId region, String observer) {}

  private static final class Counter {
    int failures;
    int successes;
    boolean down;
    ProbeResult last;
  }

  /** Feeds one result. Results older than the last one seen for the same pair are ignored. */
  public synchronized void record(ProbeResult result) {
    if (!config.detectionObservers().contains(result.observer())) {
      return;
    }
    Counter c =
        counters.computeIfAbsent(new Key(result.region(), result.observer()), k -> new Counter());
    if (c.last != null && result.at().isBefore(c.last.at())) {
      return;
    }
    c.last = result;
    if (result.healthy()) {
      c.successes++;
      c.failures = 0;
      if (c.down && c.successes >= config.recoveryThreshold()) {
        c.down = false;
      }
    } else {
      c.failures++;
      c.successes = 0;
      if (c.failures >= config.failureThreshold()) {
        c.down = true;
      }
    }
  }

  /** The current verdict for {@code region}, with each required observer's view. */
  public synchronized DetectionVerdict assess(RegionId region) {
    Instant now = clock.instant();
    List<ObserverView> views = new ArrayList<>();
    for (String observer : config.detectionObservers()) {
      Counter c = counters.get(new Key(region, observer));
      if (c == null || c.last == null) {
        views.add(new ObserverView(observer, ObserverState.UNKNOWN, 0, 0, Optional.empty()));
        continue;
      }
      boolean stale = c.last.at().plus(config.probeStaleAfter()).isBefore(now);
      ObserverState state =
          stale ? ObserverState.UNKNOWN : c.down ? ObserverState.DOWN : ObserverState.UP;
      views.add(new ObserverView(observer, state, c.failures, c.successes, Optional.of(c.last)));
    }
    boolean allDown = views.stream().allMatch(v -> v.state() == ObserverState.DOWN);
    boolean allUp = views.stream().allMatch(v -> v.state() == ObserverState.UP);
    String seen = views.stream().map(ObserverView::summary).collect(Collectors.joining(", "));
    if (allDown) {
      return new DetectionVerdict(
          region,
          now,
          RegionHealth.DOWN,
          views,
          "detection: all observers agree " + region + " is down: " + seen);
    }
    if (allUp) {
      return new DetectionVerdict(
          region, now, RegionHealth.UP, views, "detection: " + region + " is up: " + seen);
    }
    String brief =
        views.stream()
            .map(v -> v.observer() + "=" + v.state().label())
            .collect(Collectors.joining(", "));
    return new DetectionVerdict(
        region,
        now,
        RegionHealth.DISPUTED,
        views,
        "detection: observers disagree about " + region + ": " + brief + " (" + seen + ")");
  }
}
