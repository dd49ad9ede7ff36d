package io.tradingdr.core.spi;

import io.tradingdr.core.config.OrchestratorConfig;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What the operator configured for a target: the properties of the config file ({@code --config}),
 * overridden by {@code DRCTL_*} environment variables where the backend reads them.
 *
 * @param target the selected backend's name
 * @param properties every key of the config file (e.g. {@code local.baseDir}, {@code
 *     aws.controlTable}, {@code orchestrator.maxLagOnFailover})
 * @param environment the process environment, for credentials and endpoints
 */
public record BackendSettings(
    String target, Map<String, String> properties, Map<String, String> environment) {

  /** Keys under this prefix set {@link OrchestratorConfig} settings by name. */
  public static final String ORCHESTRATOR_PREFIX = "orchestrator.";

  public BackendSettings {
    Objects.requireNonNull(target, "target");
    properties = Map.copyOf(properties);
    environment = Map.copyOf(environment);
  }

  public Optional<String> get(String key) {
    return Optional.ofNullable(properties.get(key));
  }

  /** The value of {@code key}, or IllegalArgumentException naming the missing key. */
  public String require(String key) {
    return get(key)
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "target '" + target + "' needs the setting '" + key + "' in the config file"));
  }

  /**
   * {@code base} with every {@code orchestrator.<setting>} property applied, validated (an unknown
   * or invalid setting is an IllegalArgumentException naming it).
   */
  public OrchestratorConfig orchestratorConfig(OrchestratorConfig.Builder base) {
    new TreeMap<>(properties)
        .forEach(
            (key, value) -> {
              if (key.startsWith(ORCHESTRATOR_PREFIX)) {
                base.set(key.substring(ORCHESTRATOR_PREFIX.length()), value);
              }
            });
    return base.build();
  }
}
