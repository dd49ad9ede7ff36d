package io.tradingdr.infra;

import io.tradingdr.infra.config.ConfigException;
import io.tradingdr.infra.config.InfraConfig;
import io.tradingdr.infra.config.Naming;
import io.tradingdr.infra.config.RegionRole;
import io.tradingdr.infra.stacks.ControlStack;
import io.tradingdr.infra.stacks.GlobalStack;
import io.tradingdr.infra.stacks.PeeringRoutesStack;
import io.tradingdr.infra.stacks.RegionStack;
import io.tradingdr.infra.stacks.StandbyBaseStack;
import software.amazon.awscdk.App;
import software.amazon.awscdk.Tags;

/**
 * Wires the stacks in deploy order: control, standby base, primary, standby, primary peering
 * routes, global. Every dependency points backwards in that list.
 */
public final class TradingDrApp {
  private TradingDrApp() {}

  /** The stacks of one synthesis; absent ones are null. */
  public record Stacks(
      InfraConfig config,
      ControlStack control,
      StandbyBaseStack standbyBase,
      RegionStack primary,
      RegionStack standby,
      PeeringRoutesStack peeringRoutes,
      GlobalStack global) {}

  public static Stacks build(App app) {
    InfraConfig config = InfraConfig.fromContext(key -> app.getNode().tryGetContext(key));
    Naming naming = new Naming(config);
    String prefix = naming.stackPrefix();
    Tags.of(app).add("project", "trading-dr");
    Tags.of(app).add("environment", config.environmentSuffix());
    Tags.of(app).add("profile", config.profile().id());

    ControlStack control =
        config.orchestrator()
            ? new ControlStack(app, prefix + "-control", new ControlStack.Props(config, naming))
            : null;
    StandbyBaseStack base =
        new StandbyBaseStack(
            app, prefix + "-standby-base", new StandbyBaseStack.Props(config, naming));
    String controlKeyArn = control == null ? null : control.keyArn();
    RegionStack primary =
        new RegionStack(
            app,
            prefix + "-primary",
            new RegionStack.Props(
                config,
                naming,
                RegionRole.PRIMARY,
                null,
                null,
                null,
                base.key().getKeyArn(),
                null,
                null,
                controlKeyArn));
    primary.addStackDependency(base);
    RegionStack standby =
        new RegionStack(
            app,
            prefix + "-standby",
            new RegionStack.Props(
                config,
                naming,
                RegionRole.STANDBY,
                base.key(),
                base.topic(),
                base.accessLogs(),
                base.key().getKeyArn(),
                primary.zone(),
                primary,
                controlKeyArn));
    standby.addStackDependency(primary);
    if (control != null) {
      primary.addStackDependency(control);
    }
    PeeringRoutesStack routes = null;
    if (config.spec().network().peering()) {
      routes =
          new PeeringRoutesStack(
              app,
              prefix + "-primary-peering",
              new PeeringRoutesStack.Props(
                  config, primary.network().vpc(), standby.peeringConnectionId()));
      routes.addStackDependency(standby);
    }
    GlobalStack global =
        new GlobalStack(
            app,
            prefix + "-global",
            new GlobalStack.Props(config, naming, primary.zone().getHostedZoneId()));
    global.addStackDependency(standby);
    return new Stacks(config, control, base, primary, standby, routes, global);
  }

  public static void main(String[] args) {
    App app = new App();
    try {
      build(app);
    } catch (ConfigException e) {
      System.err.println("error: " + e.getMessage());
      System.exit(2);
    }
    app.synth();
  }
}
