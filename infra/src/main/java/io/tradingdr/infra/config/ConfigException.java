package io.tradingdr.infra.config;

/**
 * A configuration value is missing or invalid; the message names the key and the allowed values.
 */
public final class ConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
