package io.tradingdr.core.port;

/** Which means a traffic change may use. */
public enum RouteMode {
  /** Planned change: the routing control plane may be used (Route 53 ChangeResourceRecordSets). */
  PLANNED,
  /**
   * Emergency: only data-plane means that work while the failed region is down (a CloudWatch-alarm
   * health check in the surviving region, ARC routing controls).
   */
  EMERGENCY
}
