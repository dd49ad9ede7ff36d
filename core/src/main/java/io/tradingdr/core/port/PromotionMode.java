package io.tradingdr.core.port;

/** How a standby database becomes the writer. */
public enum PromotionMode {
  /**
   * Planned: the old writer is fenced and the standby has replayed all it committed. No loss.
   * (Aurora {@code SwitchoverGlobalCluster}.)
   */
  NO_DATA_LOSS,
  /**
   * Unplanned: promote now, whatever the old writer committed but did not ship is lost and must be
   * reported. (Aurora {@code FailoverGlobalCluster} with {@code AllowDataLoss}.)
   */
  ALLOW_DATA_LOSS
}
