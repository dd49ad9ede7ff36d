package io.tradingdr.core.detect;

import io.tradingdr.core.region.RegionId;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The detector's decision about one region at one instant, with what each observer saw.
 *
 * @param reason {@code "detection: all observers agree region-a is down: entry-point=down (...),
 *     standby-side=down (...)"} or {@code "detection: observers disagree: entry-point=down,
 *     standby-side=up"}
 */
public record DetectionVerdict(
    RegionId region, Instant at, RegionHealth health, List<ObserverView> observers, String reason) {

  public DetectionVerdict {
    Objects.requireNonNull(region, "region");
    Objects.requireNonNull(at, "at");
    Objects.requireNonNull(health, "health");
    Objects.requireNonNull(reason, "reason");
    observers = List.copyOf(observers);
  }

  public boolean isDown() {
    return health == RegionHealth.DOWN;
  }

  /** One fact per observer ({@code observer.entry-point = down (3 failures, last: ...)}). */
  public Map<String, String> facts() {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("detection.region", region.value());
    facts.put("detection.health", health.name());
    facts.put("detection.at", at.toString());
    for (ObserverView view : observers) {
      facts.put("observer." + view.observer(), view.summary());
    }
    return facts;
  }
}
