package io.tradingdr.infra.config;

import io.tradingdr.infra.config.ProfileSpec.NamingStyle;

/**
 * Physical names. Every name carries the environment suffix. Names AWS limits to 32 characters
 * (load balancers, target groups) use the short region code (us-east-1 becomes use1).
 */
public final class Naming {
  private static final int LIMITED_LENGTH = 32;

  private final NamingStyle style;
  private final String suffix;
  private final String primaryRegion;
  private final String account;

  public Naming(InfraConfig config) {
    this.style = config.spec().namingStyle();
    this.suffix = config.environmentSuffix();
    this.primaryRegion = config.primaryRegion();
    this.account = config.account();
  }

  public String suffix() {
    return suffix;
  }

  private static String roleWord(NamingStyle style, RegionRole role) {
    if (style == NamingStyle.SERVICE_REGION_ENVIRONMENT_PURPOSE) {
      return role == RegionRole.PRIMARY ? "primary" : "secondary";
    }
    return role.word();
  }

  /** A resource that exists once per region: {@code trading-vpc-prod-primary}. */
  public String regional(String resource, RegionRole role, String region) {
    return switch (style) {
      case TRADING -> "trading-" + resource + "-" + suffix + "-" + roleWord(style, role);
      case SERVICE_REGION_ENVIRONMENT_PURPOSE ->
          "dr-" + resource + "-" + region + "-" + suffix + "-" + roleWord(style, role);
    };
  }

  /** A regional name that AWS limits to 32 characters. */
  public String limited(String resource, RegionRole role, String region) {
    String name =
        switch (style) {
          case TRADING -> "trading-" + resource + "-" + suffix + "-" + roleWord(style, role);
          case SERVICE_REGION_ENVIRONMENT_PURPOSE ->
              "dr-"
                  + resource
                  + "-"
                  + shortRegion(region)
                  + "-"
                  + suffix
                  + "-"
                  + roleWord(style, role);
        };
    if (name.length() > LIMITED_LENGTH) {
      throw new ConfigException(
          InfraConfig.KEY_ENVIRONMENT_SUFFIX
              + ": '"
              + suffix
              + "' makes the name "
              + name
              + " longer than 32 characters; allowed: a shorter suffix");
    }
    return name;
  }

  /** A resource that exists once for the deployment: {@code trading-control-prod}. */
  public String global(String resource) {
    return switch (style) {
      case TRADING -> "trading-" + resource + "-" + suffix;
      case SERVICE_REGION_ENVIRONMENT_PURPOSE ->
          "dr-" + resource + "-" + primaryRegion + "-" + suffix + "-global";
    };
  }

  /**
   * A global table: {@code trading-sessions-{suffix}} in documents 000/002, {@code
   * dr-dynamodb-us-east-1-{suffix}-transactions} in document 001.
   */
  public String table(String purpose) {
    return switch (style) {
      case TRADING -> "trading-" + purpose + "-" + suffix;
      case SERVICE_REGION_ENVIRONMENT_PURPOSE ->
          "dr-dynamodb-" + primaryRegion + "-" + suffix + "-" + purpose;
    };
  }

  /** A bucket: globally unique, so the account and region are part of it. */
  public String bucket(String purpose, String region) {
    return switch (style) {
      case TRADING -> "trading-" + purpose + "-" + suffix + "-" + account + "-" + region;
      case SERVICE_REGION_ENVIRONMENT_PURPOSE ->
          "dr-s3-" + region + "-" + suffix + "-" + purpose + "-" + account;
    };
  }

  /** The stack name prefix, e.g. {@code TradingDr-prod}. */
  public String stackPrefix() {
    return "TradingDr-" + suffix;
  }

  /** us-east-1 becomes use1, eu-central-1 becomes euc1. */
  public static String shortRegion(String region) {
    String[] parts = region.split("-");
    StringBuilder shortName = new StringBuilder(parts[0]);
    for (int i = 1; i < parts.length - 1; i++) {
      shortName.append(parts[i].charAt(0));
    }
    return shortName.append(parts[parts.length - 1]).toString();
  }
}
