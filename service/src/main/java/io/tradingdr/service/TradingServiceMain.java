package io.tradingdr.service;

import io.tradingdr.service.config.ConfigException;
import io.tradingdr.service.config.ServiceConfig;
import io.tradingdr.service.db.DatabaseUnavailableException;
import io.tradingdr.service.http.TradingHttpServer;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code java -jar trading-service.jar}: the trading service over HTTP, configured by TDR_*. */
public final class TradingServiceMain {

  private TradingServiceMain() {}

  public static void main(String[] args) {
    // Before anything resolves a name: the DNS cache TTL is read once.
    TradingServiceRuntime.configureDnsCache();
    Logger log = LoggerFactory.getLogger(TradingServiceMain.class);
    ServiceConfig config;
    try {
      config = ServiceConfig.fromEnvironment(System.getenv());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    }
    TradingServiceRuntime runtime;
    try {
      runtime = TradingServiceRuntime.start(config, Clock.systemUTC());
    } catch (ConfigException e) {
      System.err.println(e.getMessage());
      System.exit(2);
      return;
    } catch (DatabaseUnavailableException e) {
      // The supervisor (systemd, ECS) restarts us; a stack trace would only hide the reason.
      System.err.println("cannot start: " + e.getMessage());
      System.exit(1);
      return;
    }
    TradingHttpServer server =
        TradingHttpServer.start(runtime.api(), config.httpHost(), config.httpPort());
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  runtime.close();
                },
                "trading-service-shutdown"));
    log.info(
        "trading service for region {} listening on {}:{}",
        config.region(),
        config.httpHost(),
        server.port());
  }
}
