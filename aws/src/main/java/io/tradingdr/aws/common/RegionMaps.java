package io.tradingdr.aws.common;

import io.tradingdr.core.region.RegionId;
import java.util.Map;
import java.util.Objects;

/** Looks up what an adapter has configured per region. */
public final class RegionMaps {

  private RegionMaps() {}

  /**
   * The value configured for {@code region}, or an {@link IllegalArgumentException} reading "region
   * &lt;region&gt;&lt;missing&gt;; configured: &lt;regions&gt;".
   */
  public static <T> T require(Map<RegionId, T> configured, RegionId region, String missing) {
    T value = configured.get(Objects.requireNonNull(region, "region"));
    if (value == null) {
      throw new IllegalArgumentException(
          "region " + region + missing + "; configured: " + configured.keySet());
    }
    return value;
  }
}
