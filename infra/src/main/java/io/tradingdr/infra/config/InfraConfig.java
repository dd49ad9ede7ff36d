package io.tradingdr.infra.config;

import io.tradingdr.infra.config.ProfileSpec.ComputeKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The validated configuration of one synthesis, read from CDK context. Immutable; every value is
 * checked when it is read, and a bad one stops synthesis with a message naming the key and the
 * allowed values.
 */
public final class InfraConfig {
  public static final String KEY_ENVIRONMENT_SUFFIX = "environmentSuffix";
  public static final String KEY_PROFILE = "profile";
  public static final String KEY_DOMAIN_NAME = "domainName";
  public static final String KEY_PRIMARY_REGION = "primaryRegion";
  public static final String KEY_STANDBY_REGION = "standbyRegion";
  public static final String KEY_CONTROL_REGION = "controlRegion";
  public static final String KEY_ACCOUNT = "account";
  public static final String KEY_SERVICE_JAR = "serviceJar";
  public static final String KEY_LAMBDA_JAR = "lambdaJar";
  public static final String KEY_ORCHESTRATOR_JAR = "orchestratorJar";
  public static final String KEY_DESTROYABLE = "destroyable";
  public static final String KEY_FAILOVER_SWITCH = "failoverSwitch";

  /** A placeholder account so synthesis stays offline; real deploys pass -c account=... */
  public static final String PLACEHOLDER_ACCOUNT = "111111111111";

  /** Regions tried in order for the control table when controlRegion is not given. */
  public static final List<String> CONTROL_REGION_CANDIDATES =
      List.of("us-west-2", "us-east-2", "us-east-1");

  public static final String DEFAULT_SERVICE_JAR = "../service/target/trading-service.jar";
  public static final String DEFAULT_LAMBDA_JAR = "../lambda/target/trading-lambda.jar";
  public static final String DEFAULT_ORCHESTRATOR_JAR = "../aws/target/trading-orchestrator.jar";

  // 1-12 characters: the longest length-limited name (ALB and target group, 32 characters) must
  // still fit; lower case because S3 bucket names are part of the scheme.
  private static final Pattern SUFFIX = Pattern.compile("[a-z]([a-z0-9-]{0,10}[a-z0-9])?");
  private static final Pattern REGION = Pattern.compile("[a-z]{2}(-gov)?-[a-z]+-[0-9]");
  private static final Pattern ACCOUNT = Pattern.compile("[0-9]{12}");
  private static final Pattern DOMAIN =
      Pattern.compile("([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}");

  private final Profile profile;
  private final String environmentSuffix;
  private final String domainName;
  private final String primaryRegion;
  private final String standbyRegion;
  private final String controlRegion;
  private final boolean controlRegionDefaulted;
  private final String account;
  private final Path serviceJar;
  private final Path lambdaJar;
  private final Path orchestratorJar;
  private final boolean destroyable;
  private final boolean orchestrator;
  private final boolean failoverSwitch;

  private InfraConfig(Function<String, Object> context) {
    this.environmentSuffix = required(context, KEY_ENVIRONMENT_SUFFIX);
    if (!SUFFIX.matcher(environmentSuffix).matches()) {
      throw new ConfigException(
          KEY_ENVIRONMENT_SUFFIX
              + ": '"
              + environmentSuffix
              + "' is invalid; allowed: 1-12 characters of a-z, 0-9 and '-', starting with a"
              + " letter and not ending with '-' (e.g. prod, pr-42)");
    }
    String profileId = optional(context, KEY_PROFILE);
    this.profile = profileId == null ? Profile.defaultProfile() : Profile.fromId(profileId);
    ProfileSpec spec = profile.spec();

    String domain = optional(context, KEY_DOMAIN_NAME);
    this.domainName = domain == null ? "trading-" + environmentSuffix + ".example.com" : domain;
    if (!DOMAIN.matcher(domainName).matches() || domainName.length() > 200) {
      throw new ConfigException(
          KEY_DOMAIN_NAME
              + ": '"
              + domainName
              + "' is invalid; allowed: a lower-case DNS name such as trading.example.com");
    }

    this.primaryRegion = region(context, KEY_PRIMARY_REGION, spec.primaryRegion());
    this.standbyRegion = region(context, KEY_STANDBY_REGION, spec.standbyRegion());
    if (primaryRegion.equals(standbyRegion)) {
      throw new ConfigException(
          KEY_STANDBY_REGION
              + ": must differ from "
              + KEY_PRIMARY_REGION
              + " ("
              + primaryRegion
              + "); allowed: any other region id");
    }
    String control = optional(context, KEY_CONTROL_REGION);
    if (control == null) {
      this.controlRegion =
          CONTROL_REGION_CANDIDATES.stream()
              .filter(r -> !r.equals(primaryRegion) && !r.equals(standbyRegion))
              .findFirst()
              .orElseThrow();
      this.controlRegionDefaulted = true;
    } else {
      this.controlRegion = region(context, KEY_CONTROL_REGION, control);
      this.controlRegionDefaulted = false;
      if (controlRegion.equals(primaryRegion) || controlRegion.equals(standbyRegion)) {
        throw new ConfigException(
            KEY_CONTROL_REGION
                + ": '"
                + controlRegion
                + "' is one of the pair; the control table must outlive either region, allowed:"
                + " a third region such as "
                + CONTROL_REGION_CANDIDATES.stream()
                    .filter(r -> !r.equals(primaryRegion) && !r.equals(standbyRegion))
                    .findFirst()
                    .orElseThrow());
      }
    }

    String acct = optional(context, KEY_ACCOUNT);
    this.account = acct == null ? PLACEHOLDER_ACCOUNT : acct;
    if (!ACCOUNT.matcher(account).matches()) {
      throw new ConfigException(
          KEY_ACCOUNT + ": '" + account + "' is invalid; allowed: a 12-digit AWS account id");
    }

    this.destroyable = bool(context, KEY_DESTROYABLE, false);
    String switchValue = optional(context, KEY_FAILOVER_SWITCH);
    if (switchValue != null && !spec.orchestration().failoverSwitchConfigurable()) {
      throw new ConfigException(
          KEY_FAILOVER_SWITCH
              + ": not configurable in profile "
              + profile.id()
              + "; allowed only in warm-standby (active-passive, serverless-api and recommended"
              + " always have it, serverless-alb has no orchestrator)");
    }
    this.failoverSwitch =
        bool(context, KEY_FAILOVER_SWITCH, spec.orchestration().failoverSwitchHealthCheck());
    this.orchestrator = spec.orchestration().enabled() || failoverSwitch;

    ComputeKind kind = spec.compute().kind();
    this.serviceJar =
        kind == ComputeKind.AUTO_SCALING
            ? artifact(context, KEY_SERVICE_JAR, DEFAULT_SERVICE_JAR, "service")
            : null;
    this.lambdaJar =
        kind != ComputeKind.AUTO_SCALING
            ? artifact(context, KEY_LAMBDA_JAR, DEFAULT_LAMBDA_JAR, "lambda")
            : null;
    this.orchestratorJar =
        orchestrator
            ? artifact(context, KEY_ORCHESTRATOR_JAR, DEFAULT_ORCHESTRATOR_JAR, "aws")
            : null;
  }

  /** Reads and validates the configuration; {@code context} returns null for an absent key. */
  public static InfraConfig fromContext(Function<String, Object> context) {
    return new InfraConfig(Objects.requireNonNull(context));
  }

  private static String optional(Function<String, Object> context, String key) {
    Object value = context.apply(key);
    if (value == null) {
      return null;
    }
    String text = value.toString().trim();
    return text.isEmpty() ? null : text;
  }

  private static String required(Function<String, Object> context, String key) {
    String value = optional(context, key);
    if (value == null) {
      throw new ConfigException(
          key
              + ": required; pass -c "
              + key
              + "=<value> (1-12 characters of a-z, 0-9 and '-', starting with a letter)");
    }
    return value;
  }

  private static String region(Function<String, Object> context, String key, String fallback) {
    String value = optional(context, key);
    String region = value == null ? fallback : value;
    if (!REGION.matcher(region).matches()) {
      throw new ConfigException(
          key + ": '" + region + "' is not a region id; allowed: e.g. us-east-1, us-west-2");
    }
    return region;
  }

  private static boolean bool(Function<String, Object> context, String key, boolean fallback) {
    String value = optional(context, key);
    if (value == null) {
      return fallback;
    }
    return switch (value) {
      case "true" -> true;
      case "false" -> false;
      default ->
          throw new ConfigException(
              key + ": '" + value + "' is invalid; allowed values: true, false");
    };
  }

  private static Path artifact(
      Function<String, Object> context, String key, String fallback, String module) {
    String value = optional(context, key);
    Path path = Path.of(value == null ? fallback : value).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new ConfigException(
          key
              + ": "
              + path
              + " does not exist; build it with `mvn -pl "
              + module
              + " -am package -DskipTests` from the repository root, or pass -c "
              + key
              + "=<path to the jar>");
    }
    return path;
  }

  public Profile profile() {
    return profile;
  }

  public ProfileSpec spec() {
    return profile.spec();
  }

  public String environmentSuffix() {
    return environmentSuffix;
  }

  public String domainName() {
    return domainName;
  }

  /** The name clients use: {@code app.{domainName}}. */
  public String applicationHost() {
    return "app." + domainName;
  }

  /** The per-region name, {@code primary.{domainName}} or {@code standby.{domainName}}. */
  public String regionalHost(RegionRole role) {
    return role.word() + "." + domainName;
  }

  public String region(RegionRole role) {
    return role == RegionRole.PRIMARY ? primaryRegion : standbyRegion;
  }

  public String primaryRegion() {
    return primaryRegion;
  }

  public String standbyRegion() {
    return standbyRegion;
  }

  public String controlRegion() {
    return controlRegion;
  }

  /** True when controlRegion was not given and the first free candidate was chosen. */
  public boolean controlRegionDefaulted() {
    return controlRegionDefaulted;
  }

  public String account() {
    return account;
  }

  public Path serviceJar() {
    return serviceJar;
  }

  public Path lambdaJar() {
    return lambdaJar;
  }

  public Path orchestratorJar() {
    return orchestratorJar;
  }

  public boolean destroyable() {
    return destroyable;
  }

  /** Orchestrator, health monitor and control table are deployed. */
  public boolean orchestrator() {
    return orchestrator;
  }

  /** Each record's health check is CALCULATED from the HTTP check and the drain alarm. */
  public boolean failoverSwitch() {
    return failoverSwitch;
  }
}
