package io.tradingdr.lambda;

import io.tradingdr.service.TradingServiceRuntime;
import io.tradingdr.service.api.TradingApi;
import io.tradingdr.service.config.ServiceConfig;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The service runtime of one Lambda execution environment, built once (on the first handler
 * construction, i.e. at init or SnapStart snapshot time) from the function's environment and shared
 * by every handler class in it.
 */
final class LambdaRuntime {

  /** One request at a time per execution environment: a small pool is enough. */
  static final String DEFAULT_LAMBDA_POOL_SIZE = "2";

  private static TradingServiceRuntime runtime;

  private LambdaRuntime() {}

  static synchronized TradingApi api() {
    if (runtime == null) {
      runtime = start(System.getenv());
    }
    return runtime.api();
  }

  /** Builds a runtime from {@code env}; TDR_DB_POOL_SIZE defaults to 2 here. */
  static TradingServiceRuntime start(Map<String, String> env) {
    TradingServiceRuntime.configureDnsCache();
    Map<String, String> withDefaults = new HashMap<>(env);
    withDefaults.putIfAbsent("TDR_DB_POOL_SIZE", DEFAULT_LAMBDA_POOL_SIZE);
    return TradingServiceRuntime.start(
        ServiceConfig.fromEnvironment(withDefaults), Clock.systemUTC());
  }
}
