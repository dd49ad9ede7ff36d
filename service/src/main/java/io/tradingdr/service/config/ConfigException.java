package io.tradingdr.service.config;

/** The service's configuration is missing or invalid; the message names every bad variable. */
public class ConfigException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  public ConfigException(String message) {
    super(message);
  }
}
