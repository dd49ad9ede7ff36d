package io.tradingdr.local.regions;

import io.tradingdr.core.region.RegionId;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Objects;

/**
 * Where the two local regions live on loopback. Linux routes all of 127.0.0.0/8 to the loopback
 * device, so each region gets its own /24 without configuring anything:
 *
 * <ul>
 *   <li>{@code 127.0.N.1}, the region's public face: its service, database and session store as
 *       clients, the other region and the orchestrator reach them;
 *   <li>{@code 127.0.N.2}, its internal face: what the region's own components use to reach each
 *       other (the service to its database and session store);
 *   <li>{@code 127.0.N.3}, the region's own path to the control store.
 * </ul>
 *
 * <p>Because every path into or out of a region has its own address, a partition can cut exactly
 * the cross-region paths with address-and-port rules and leave the region talking to itself ({@link
 * io.tradingdr.local.net.NetworkPartition}). Shared, "global" things (the DNS server, the control
 * store as the orchestrator sees it) live on {@code 127.0.3.1}. Ports are picked free at start and
 * recorded in the run directory's state file, so two runs on one machine do not collide.
 */
public record LocalTopology(Region primary, Region secondary, InetAddress global) {

  public LocalTopology {
    Objects.requireNonNull(primary, "primary");
    Objects.requireNonNull(secondary, "secondary");
    Objects.requireNonNull(global, "global");
    if (primary.id().equals(secondary.id())) {
      throw new IllegalArgumentException("the two regions need different ids");
    }
  }

  /**
   * One region's addresses.
   *
   * @param index N in 127.0.N.x, 1-254
   */
  public record Region(RegionId id, int index) {
    public Region {
      Objects.requireNonNull(id, "id");
      if (index < 1 || index > 254) {
        throw new IllegalArgumentException("region index must be 1-254, was " + index);
      }
    }

    public InetAddress publicAddress() {
      return address(index, 1);
    }

    public InetAddress internalAddress() {
      return address(index, 2);
    }

    public InetAddress controlPathAddress() {
      return address(index, 3);
    }

    /** The region's own range, exempt from its partition. */
    public String cidr() {
      return "127.0." + index + ".0/24";
    }
  }

  /** region-a on 127.0.1.x (initial primary), region-b on 127.0.2.x, global on 127.0.3.1. */
  public static LocalTopology standard() {
    return new LocalTopology(
        new Region(RegionId.of("region-a"), 1),
        new Region(RegionId.of("region-b"), 2),
        address(3, 1));
  }

  public List<Region> regions() {
    return List.of(primary, secondary);
  }

  public Region region(RegionId id) {
    return regions().stream()
        .filter(r -> r.id().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown region " + id + "; allowed: " + primary.id() + ", " + secondary.id()));
  }

  public Region other(RegionId id) {
    return region(id).equals(primary) ? secondary : primary;
  }

  static InetAddress address(int third, int fourth) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, (byte) third, (byte) fourth});
    } catch (UnknownHostException e) {
      throw new IllegalStateException("a 4-byte address is always valid", e);
    }
  }
}
