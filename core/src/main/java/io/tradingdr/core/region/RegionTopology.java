package io.tradingdr.core.region;

import java.util.List;
import java.util.Objects;

/**
 * The two regions of the system. {@code home} is the usual primary (the writer after a fresh deploy
 * and after a failback); {@code away} is the usual standby.
 */
public record RegionTopology(RegionId home, RegionId away) {

  public RegionTopology {
    Objects.requireNonNull(home, "home");
    Objects.requireNonNull(away, "away");
    if (home.equals(away)) {
      throw new IllegalArgumentException("the two regions must differ, both were " + home);
    }
  }

  public static RegionTopology of(String home, String away) {
    return new RegionTopology(RegionId.of(home), RegionId.of(away));
  }

  public List<RegionId> regions() {
    return List.of(home, away);
  }

  /** The region that is not {@code region}. */
  public RegionId other(RegionId region) {
    if (region.equals(home)) {
      return away;
    }
    if (region.equals(away)) {
      return home;
    }
    throw new IllegalArgumentException(
        "region " + region + " is not part of this system; allowed: " + home + ", " + away);
  }

  public boolean contains(RegionId region) {
    return home.equals(region) || away.equals(region);
  }
}
