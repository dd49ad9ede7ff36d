package io.tradingdr.cli;

import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.rpo.OrderReconciliation;
import io.tradingdr.core.run.OrchestratorPorts;
import io.tradingdr.core.run.Sleeper;
import io.tradingdr.core.spi.BackendSettings;
import io.tradingdr.core.spi.DrBackend;
import io.tradingdr.core.spi.DrEnvironment;
import io.tradingdr.core.testing.FakeRegions;
import java.time.Clock;

/** The {@code fake} target: the core's in-memory regions, shared with the test through a field. */
public final class FakeBackend implements DrBackend {

  /** The regions the next drctl invocation operates; set by each test. */
  static volatile FakeRegions regions;

  /** The settings the last open() received. */
  static volatile BackendSettings lastSettings;

  @Override
  public String name() {
    return "fake";
  }

  @Override
  public String description() {
    return "in-memory regions for tests";
  }

  @Override
  public DrEnvironment open(BackendSettings settings) {
    lastSettings = settings;
    if (settings.get("fake.unreachable").isPresent()) {
      throw new UnreachableException("fake control store at 127.0.0.1:1 refused the connection");
    }
    FakeRegions r = regions;
    OrchestratorConfig config = settings.orchestratorConfig(OrchestratorConfig.builder());
    r.config = config;
    return new DrEnvironment() {
      @Override
      public OrchestratorConfig config() {
        return config;
      }

      @Override
      public OrchestratorPorts ports() {
        return r.ports();
      }

      @Override
      public OrderReconciliation reconciliation() {
        return r.orders;
      }

      @Override
      public Clock clock() {
        return r.clock;
      }

      @Override
      public Sleeper sleeper() {
        return r.clock;
      }
    };
  }
}
