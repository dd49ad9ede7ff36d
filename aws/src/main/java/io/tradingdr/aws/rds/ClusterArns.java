package io.tradingdr.aws.rds;

import io.tradingdr.core.region.RegionId;

/** Aurora cluster ARNs ({@code arn:aws:rds:<region>:<account>:cluster:<id>}). */
final class ClusterArns {

  private ClusterArns() {}

  /** Throws {@link IllegalArgumentException} naming {@code region} unless {@code arn} is one. */
  static void requireValid(String arn, RegionId region) {
    if (arn == null
        || !arn.matches("arn:aws[a-z-]*:rds:[a-z0-9-]+:\\d{12}:cluster:[A-Za-z][A-Za-z0-9-]*")) {
      throw new IllegalArgumentException(
          "cluster ARN '"
              + arn
              + "' of "
              + region
              + " is invalid: use arn:aws:rds:<region>:<account>:cluster:<id>");
    }
  }

  /** The cluster identifier, the ARN's last part. */
  static String identifier(String arn) {
    return arn.substring(arn.lastIndexOf(':') + 1);
  }
}
