package io.tradingdr.aws.cli;

import io.tradingdr.aws.common.AwsClientSettings;
import io.tradingdr.aws.wiring.AwsAdapters;
import io.tradingdr.aws.wiring.OrchestratorWiring;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.rpo.OrderReconciliation;
import io.tradingdr.core.run.OrchestratorPorts;
import io.tradingdr.core.spi.BackendSettings;
import io.tradingdr.core.spi.DrBackend;
import io.tradingdr.core.spi.DrEnvironment;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * drctl's {@code aws} target: the same adapters and wiring as the orchestrator Lambda, configured
 * by the config file's {@code aws.*} keys instead of environment variables.
 *
 * <p>Every {@code aws.<name>} key mirrors the Lambda's variable {@code TDR_<NAME>} ({@code
 * aws.controlTable} is {@code TDR_CONTROL_TABLE}, {@code aws.primaryDbClusterArn} is {@code
 * TDR_PRIMARY_DB_CLUSTER_ARN}; the list is {@link #KEYS} and aws/README.md). Two keys are drctl's
 * own: {@code aws.region} (where drctl's CloudWatch calls go, default {@code AWS_REGION} of the
 * environment, else {@code aws.standbyRegion}) and {@code aws.endpoint} (one endpoint for every
 * client, for a local AWS stand-in). {@code orchestrator.<setting>} keys set the guards.
 * Credentials come from the SDK's default chain ({@code AWS_PROFILE}, {@code AWS_ACCESS_KEY_ID},
 * ...).
 */
public final class AwsDrBackend implements DrBackend {

  /** The target's name for {@code drctl --target}. */
  public static final String NAME = "aws";

  private static final String PREFIX = "aws.";

  /** The Lambda's variables that the config file may set, each as {@code aws.<camelCase>}. */
  static final List<String> VARIABLES =
      Stream.of(
              List.of(
                  "TDR_PRIMARY_REGION",
                  "TDR_STANDBY_REGION",
                  "TDR_CONTROL_TABLE",
                  "TDR_CONTROL_REGION",
                  "TDR_CONTROL_ENDPOINT",
                  "TDR_GLOBAL_CLUSTER_ID",
                  "TDR_PRIMARY_DB_CLUSTER_ARN",
                  "TDR_STANDBY_DB_CLUSTER_ARN",
                  "TDR_ORDERS_TABLE"),
              AwsAdapters.RECONCILE_VARIABLES,
              List.of(
                  "TDR_HOSTED_ZONE_ID",
                  "TDR_RECORD_NAME",
                  "TDR_RECORD_TYPE",
                  "TDR_ROUTING_POLICY",
                  "TDR_PRIMARY_SET_ID",
                  "TDR_STANDBY_SET_ID",
                  "TDR_DRAIN_ALARM_PRIMARY",
                  "TDR_DRAIN_ALARM_STANDBY",
                  "TDR_DRAIN_NAMESPACE",
                  "TDR_DRAIN_METRIC",
                  "TDR_ARC_ENDPOINTS",
                  "TDR_ARC_CONTROL_PRIMARY",
                  "TDR_ARC_CONTROL_STANDBY",
                  "TDR_PRIMARY_ASG",
                  "TDR_STANDBY_ASG",
                  "TDR_PRIMARY_TOPIC_ARN",
                  "TDR_STANDBY_TOPIC_ARN",
                  "TDR_RUN_METRICS_NAMESPACE",
                  "TDR_MONITOR_TARGETS",
                  "TDR_MONITOR_PATH",
                  "TDR_MONITOR_TIMEOUT_MS",
                  "TDR_HEALTH_ALARM_PRIMARY",
                  "TDR_HEALTH_ALARM_STANDBY",
                  "TDR_POLL_INTERVAL_MS"))
          .flatMap(List::stream)
          .toList();

  private static final String RECONCILE = "RECONCILE_";

  private static final String REGION_KEY = PREFIX + "region";
  private static final String ENDPOINT_KEY = PREFIX + "endpoint";

  /** Every {@code aws.*} key, mapped to the variable it stands for. */
  static final Map<String, String> KEYS = keys();

  private static final Pattern VARIABLE = Pattern.compile("TDR_[A-Z0-9_]+");

  /** The client settings per region; empty means the defaults plus {@code aws.endpoint}. */
  private final Optional<Function<String, AwsClientSettings>> clients;

  private final Clock clock;

  /** For drctl (ServiceLoader): default credentials, {@code aws.endpoint} when set. */
  public AwsDrBackend() {
    this.clients = Optional.empty();
    this.clock = Clock.systemUTC();
  }

  /** For tests: the client settings per region (endpoint, credentials), and the clock. */
  public AwsDrBackend(Function<String, AwsClientSettings> clients, Clock clock) {
    this.clients = Optional.of(Objects.requireNonNull(clients, "clients"));
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "AWS: Aurora Global Database or DynamoDB global table, Route 53, Auto Scaling, SNS,"
        + " DynamoDB control table (aws.* keys in the config file)";
  }

  @Override
  public DrEnvironment open(BackendSettings settings) {
    Objects.requireNonNull(settings, "settings");
    for (String key : settings.properties().keySet()) {
      if (key.startsWith(PREFIX) && !KEYS.containsKey(key)) {
        throw new IllegalArgumentException(
            "target '"
                + settings.target()
                + "': unknown setting '"
                + key
                + "'; allowed: "
                + String.join(", ", KEYS.keySet()));
      }
    }
    Map<String, String> env = new LinkedHashMap<>();
    KEYS.forEach(
        (key, variable) -> {
          if (!variable.isEmpty()) {
            settings.get(key).ifPresent(v -> env.put(variable, v));
          }
        });
    env.computeIfAbsent(
        "TDR_AWS_REGION",
        v ->
            Optional.ofNullable(settings.environment().get("AWS_REGION"))
                .orElse(env.get("TDR_STANDBY_REGION")));
    for (String required :
        List.of("TDR_PRIMARY_REGION", "TDR_STANDBY_REGION", "TDR_CONTROL_TABLE")) {
      if (env.get(required) == null || env.get(required).isBlank()) {
        throw new IllegalArgumentException(
            "target '"
                + settings.target()
                + "' needs the setting '"
                + keyOf(required)
                + "' in the config file");
      }
    }
    Function<String, AwsClientSettings> perRegion =
        clients.orElseGet(() -> defaultClients(settings));
    AwsAdapters adapters;
    OrchestratorPorts ports;
    OrchestratorConfig config;
    try {
      adapters = AwsAdapters.fromEnvironment(env, perRegion, clock);
      ports = OrchestratorWiring.ports(adapters);
      config = settings.orchestratorConfig(OrchestratorWiring.defaults(adapters.probes()));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "target '" + settings.target() + "': " + inSettingNames(e.getMessage()), e);
    }
    OrderReconciliation reconciliation;
    try {
      reconciliation = OrchestratorWiring.reconciliation(env);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "target '" + settings.target() + "': " + inSettingNames(e.getMessage()), e);
    }
    Clock environmentClock = clock;
    return new DrEnvironment() {
      @Override
      public OrchestratorConfig config() {
        return config;
      }

      @Override
      public OrchestratorPorts ports() {
        return ports;
      }

      @Override
      public OrderReconciliation reconciliation() {
        return reconciliation;
      }

      @Override
      public Clock clock() {
        return environmentClock;
      }
    };
  }

  private static Function<String, AwsClientSettings> defaultClients(BackendSettings settings) {
    Optional<URI> endpoint = settings.get(ENDPOINT_KEY).map(AwsDrBackend::endpoint);
    return region -> {
      AwsClientSettings.Builder builder = AwsClientSettings.builder(region);
      endpoint.ifPresent(builder::endpointOverride);
      return builder.build();
    };
  }

  private static URI endpoint(String value) {
    try {
      URI uri = new URI(value.strip());
      if (uri.getScheme() == null
          || !(uri.getScheme().equals("http") || uri.getScheme().equals("https"))
          || uri.getHost() == null) {
        throw new URISyntaxException(value, "not an http(s) URL with a host");
      }
      return uri;
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(
          "target 'aws': setting '"
              + ENDPOINT_KEY
              + "' must be an http(s) URL such as http://127.0.0.1:4566, was '"
              + value
              + "'",
          e);
    }
  }

  /** Rewrites the variables in an adapter's message as the config keys the operator wrote. */
  static String inSettingNames(String message) {
    Map<String, String> keyOfVariable = new LinkedHashMap<>();
    KEYS.forEach((key, variable) -> keyOfVariable.put(variable, key));
    Matcher m = VARIABLE.matcher(message == null ? "" : message);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(
          out, Matcher.quoteReplacement(keyOfVariable.getOrDefault(m.group(), m.group())));
    }
    m.appendTail(out);
    return out.toString();
  }

  /**
   * {@code TDR_PRIMARY_DB_CLUSTER_ARN} -> {@code aws.primaryDbClusterArn}; the RPO ledger's
   * settings get their own group: {@code TDR_RECONCILE_SUBNET_GROUP} -> {@code
   * aws.reconcile.subnetGroup}.
   */
  static String keyOf(String variable) {
    String rest = variable.substring("TDR_".length());
    String prefix = PREFIX;
    if (rest.startsWith(RECONCILE)) {
      rest = rest.substring(RECONCILE.length());
      prefix = PREFIX + "reconcile.";
    }
    String[] words = rest.toLowerCase(Locale.ROOT).split("_");
    StringBuilder key = new StringBuilder(prefix).append(words[0]);
    for (int i = 1; i < words.length; i++) {
      key.append(Character.toUpperCase(words[i].charAt(0))).append(words[i].substring(1));
    }
    return key.toString();
  }

  private static Map<String, String> keys() {
    Map<String, String> keys = new LinkedHashMap<>();
    keys.put(REGION_KEY, "TDR_AWS_REGION");
    keys.put(ENDPOINT_KEY, "");
    for (String variable : VARIABLES) {
      keys.put(keyOf(variable), variable);
    }
    return java.util.Collections.unmodifiableMap(keys);
  }
}
