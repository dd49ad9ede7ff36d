package io.tradingdr.local.drill;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** The faults the drill knows how to inject; each one's invariants are checked by {@link Drill}. */
public enum Scenario {
  /** A planned switchover to the standby region, started by the operator. */
  SWITCHOVER(false, "planned switchover by the operator"),
  /** kill -9 of the primary PostgreSQL; the health monitor detects it and fails over. */
  KILL_PRIMARY_DB(true, "kill -9 of the primary PostgreSQL, automatic failover"),
  /** kill -9 of the primary region's trading service; automatic failover. */
  KILL_PRIMARY_SERVICE(true, "kill -9 of the primary trading service, automatic failover"),
  /** Region A cut off from clients, the control store and replication (nftables); automatic. */
  PARTITION_PRIMARY(true, "primary region cut off by nftables rules, automatic failover"),
  /**
   * WAL replay paused on the standby while the load goes on, then kill -9 of the primary: the lag
   * guard refuses the automatic failover (async mode); with --force the operator's failover goes
   * ahead and every lost order must be in the RPO ledger.
   */
  STALLED_REPLICATION_THEN_LOSS(
      true, "WAL replay paused on the standby under load, then kill -9 of the primary PostgreSQL"),
  /**
   * The standby's WAL receiver cut (empty primary_conninfo) while the load goes on, then kill -9 of
   * the primary: in async mode the primary acknowledges orders the standby never receives. The lag
   * guard refuses the automatic failover; with --force the operator's failover loses those orders,
   * and the drill reads the old primary (read-only), takes the RPO ledger, replays it through the
   * service and checks every lost order is back before the failback rewinds it. Sync mode: commits
   * wait for the standby, so the load stalls and nothing is lost.
   */
  REPLICATION_CUT_THEN_LOSS(
      true, "the standby's WAL receiver cut under load, then kill -9 of the primary PostgreSQL"),
  /**
   * The primary's service frozen (SIGSTOP) and thawed (SIGCONT) in turn, each freeze shorter than
   * failureThreshold checks: no failover, or exactly one, never a ping-pong.
   */
  FLAPPING_HEALTH(true, "the primary trading service frozen and thawed faster than the detector"),
  /**
   * kill -9 of the primary PostgreSQL; the orchestrator running the failover, in a JVM of its own,
   * is killed (SIGKILL) while it promotes, and a new one resumes the run from the journal: one
   * promotion, one grant.
   */
  ORCHESTRATOR_CRASH_MID_RUN(
      false, "kill -9 of the primary PostgreSQL, the orchestrator JVM killed while it promotes"),
  /** The return to the original primary after a switchover, started by the operator. */
  FAILBACK(false, "failback to the original primary by the operator");

  private final boolean automatic;
  private final String description;

  Scenario(boolean automatic, String description) {
    this.automatic = automatic;
    this.description = description;
  }

  /** Whether the health monitor (not the operator) starts the run. */
  public boolean automatic() {
    return automatic;
  }

  public String description() {
    return description;
  }

  /** The command-line name: {@code kill-primary-db}. */
  public String cliName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Every scenario by its command-line name, or all of them for {@code all}. */
  public static List<Scenario> parse(String names) {
    if (names.equals("all")) {
      return List.of(values());
    }
    return Arrays.stream(names.split(",")).map(String::trim).map(Scenario::byName).toList();
  }

  private static Scenario byName(String name) {
    return Arrays.stream(values())
        .filter(s -> s.cliName().equals(name))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown scenario '"
                        + name
                        + "': allowed are all, "
                        + Arrays.stream(values())
                            .map(Scenario::cliName)
                            .collect(Collectors.joining(", "))));
  }
}
