package io.tradingdr.core.spi;

/**
 * A deployment target drctl can operate ({@code local}, {@code aws}). Registered in {@code
 * META-INF/services/io.tradingdr.core.spi.DrBackend}; selected by {@code drctl --target NAME} or
 * the config file's {@code target} key.
 */
public interface DrBackend {

  /** The name used with {@code --target}: lower-case letters, digits and '-'. */
  String name();

  /** One line for {@code drctl --help}. */
  String description();

  /**
   * Connects to the target. Throws {@link IllegalArgumentException} naming the setting when the
   * settings are wrong (drctl exits 2), {@link io.tradingdr.core.port.UnreachableException} when
   * the target cannot be reached (drctl exits 3).
   */
  DrEnvironment open(BackendSettings settings);
}
