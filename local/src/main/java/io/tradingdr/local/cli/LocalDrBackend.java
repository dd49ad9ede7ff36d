package io.tradingdr.local.cli;

import io.tradingdr.aws.reconcile.ServiceOrderReconciliation;
import io.tradingdr.core.config.OrchestratorConfig;
import io.tradingdr.core.rpo.OrderReconciliation;
import io.tradingdr.core.run.OrchestratorPorts;
import io.tradingdr.core.spi.BackendSettings;
import io.tradingdr.core.spi.DrBackend;
import io.tradingdr.core.spi.DrEnvironment;
import io.tradingdr.local.orchestration.LocalOrchestration;
import io.tradingdr.local.regions.LocalRegions;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

/**
 * drctl's {@code local} target: attaches to the regions {@code drctl local up} runs from the run
 * directory ({@link LocalRegions#attach}) and builds the orchestrator's ports on them ({@link
 * LocalOrchestration}), without owning any of their processes.
 *
 * <p>Settings: {@code local.runDir} in the config file, overridden by {@code $DRCTL_LOCAL_RUN_DIR};
 * default {@code .run/local} relative to the working directory. {@code orchestrator.<setting>} keys
 * apply on top of the local preset ({@link OrchestratorConfig#localBuilder()}).
 */
public final class LocalDrBackend implements DrBackend {

  /** The target's name for {@code drctl --target}. */
  public static final String NAME = "local";

  public static final String RUN_DIR_KEY = "local.runDir";
  public static final String RUN_DIR_VARIABLE = "DRCTL_LOCAL_RUN_DIR";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public String description() {
    return "the two local regions of 'drctl local up' (local.runDir, default "
        + LocalCommand.DEFAULT_RUN_DIR
        + ")";
  }

  /** The run directory the settings name, absolute. */
  public static Path runDir(BackendSettings settings) {
    String dir =
        settings
            .environment()
            .getOrDefault(
                RUN_DIR_VARIABLE, settings.get(RUN_DIR_KEY).orElse(LocalCommand.DEFAULT_RUN_DIR));
    if (dir.isBlank()) {
      throw new IllegalArgumentException(RUN_DIR_KEY + " must name a directory, was empty");
    }
    return Path.of(dir).toAbsolutePath().normalize();
  }

  @Override
  public DrEnvironment open(BackendSettings settings) {
    OrchestratorConfig config = settings.orchestratorConfig(OrchestratorConfig.localBuilder());
    // Notifications are in notifications.jsonl; stderr keeps stdout clean for -o json.
    PrintWriter terminal =
        new PrintWriter(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8);
    LocalRegions regions = LocalRegions.attach(runDir(settings), terminal);
    LocalOrchestration orchestration;
    try {
      orchestration = LocalOrchestration.open(regions, Clock.systemUTC(), terminal);
    } catch (RuntimeException e) {
      regions.close();
      throw e;
    }
    OrderReconciliation reconciliation =
        new ServiceOrderReconciliation(regions::serviceEndpoint, Duration.ofSeconds(10));
    return new DrEnvironment() {
      @Override
      public OrchestratorConfig config() {
        return config;
      }

      @Override
      public OrchestratorPorts ports() {
        return orchestration.ports();
      }

      @Override
      public OrderReconciliation reconciliation() {
        return reconciliation;
      }

      @Override
      public void close() {
        orchestration.close();
        regions.close();
      }
    };
  }
}
