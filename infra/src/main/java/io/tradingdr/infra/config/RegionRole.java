package io.tradingdr.infra.config;

/** Which side of the pair a regional stack serves. */
public enum RegionRole {
  PRIMARY,
  STANDBY;

  public RegionRole other() {
    return this == PRIMARY ? STANDBY : PRIMARY;
  }

  /** Lower-case word used in names, record labels and outputs (primaryVpcId, standbyVpcId). */
  public String word() {
    return this == PRIMARY ? "primary" : "standby";
  }
}
