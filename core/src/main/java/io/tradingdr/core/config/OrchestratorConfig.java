package io.tradingdr.core.config;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The orchestrator's settings: every safety guard is a named setting with a documented default.
 * Immutable; built and validated by {@link Builder}. An invalid value is an {@link
 * IllegalArgumentException} that names the setting and its allowed range.
 *
 * <p>Defaults are the AWS profile (health checks every 10 s, 3 failures, as in the requirement
 * documents); {@link #localBuilder()} starts from the local regions' faster preset.
 *
 * @param healthCheckInterval how often each observer probes each region. Default 10 s (1 s in the
 *     local regions). Allowed 100 ms to 5 min. A probe older than three intervals counts as
 *     missing.
 * @param failureThreshold consecutive failed checks, per observer, before that observer calls a
 *     region down. Default 3 (30 s at 10 s). Allowed 1 to 20.
 * @param recoveryThreshold consecutive good checks, per observer, before a region that was down
 *     counts as healthy again (hysteresis). Default 3. Allowed 1 to 50.
 * @param detectionObservers the observers that must all agree before a region is declared down; at
 *     least two. Default {@code entry-point} (through the traffic entry point) and {@code
 *     standby-side} (from the standby region).
 * @param maxLagOnFailover the lag guard: an unplanned promotion is refused when the standby's
 *     replication lag exceeds this, unless forced. Default 10 s: ten times the 1 s lag alarm of the
 *     requirement documents (a lag alarm is a warning and often fires as a primary degrades, so it
 *     must not block the failover it announces) and a sixth of the 1 min RPO target, which leaves
 *     room for the lag to grow between the check and the promotion. Allowed 0 to 10 min.
 * @param minFailoverInterval anti-flapping: no automatic failover within this long after the
 *     previous failover ended. Default 10 min. Allowed 0 to 7 days.
 * @param writeLeaseTtl how long a grant or renewal of the write lease lasts. Default 10 s: the
 *     longest a cut-off writer can go on acknowledging, and the wait before an unplanned promotion.
 *     Allowed 1 s to 5 min. The holder renews every third of it.
 * @param writeLeaseSafetyMargin a writer stops acknowledging this long before its lease expires,
 *     and the orchestrator waits this long after expiry before promoting, to absorb clock skew.
 *     Default 2 s. Allowed 0 to less than half of {@code writeLeaseTtl}.
 * @param promotionTimeout the longest a database promotion may take before the step fails. Default
 *     4 min (Aurora global failovers take one to two minutes; RTO target 5 min). Allowed 1 s to 1
 *     h.
 * @param routingTimeout the longest a traffic change may take to be in effect (Route 53 INSYNC).
 *     Default 2 min. Allowed 1 s to 1 h.
 * @param scaleTimeout the longest scaling the new writer may take to reach its capacity. Default 5
 *     min (instance launch and warm-up). Allowed 1 s to 1 h.
 * @param catchUpTimeout the longest a standby may take to replay what the fenced writer committed
 *     (switchover) or to catch up after a rejoin (failback). Default 2 min. Allowed 1 s to 1 h.
 * @param automaticFailover whether detection may trigger failovers; operators pause and resume it
 *     at run time with the control store's switch as well. Default {@link AutomaticFailover#ON}.
 * @param automaticFailback whether failback may be triggered automatically. Default false: a
 *     failback is a planned change that a person decides on.
 * @param runLeaseTtl the orchestrator lease (one run at a time); renewed every third of it while a
 *     run is going, so a crashed orchestrator blocks others for at most this long. Default 60 s.
 *     Allowed 1 s to 1 h.
 * @param writerCapacity the capacity the new writer is scaled to. Default 2 (the primary's size in
 *     the warm-standby profile). Allowed 1 to 1000.
 * @param standbyCapacity the capacity the old writer is scaled down to after a planned run. Default
 *     1 (the warm standby). Allowed 0 to {@code writerCapacity}.
 * @param rpoLedgerLookback how far before the standby's last replayed commit the RPO ledger starts
 *     looking for orders the new writer lacks (absorbs clock skew between the databases). Default 5
 *     min. Allowed 0 to 24 h.
 */
public record OrchestratorConfig(
    Duration healthCheckInterval,
    int failureThreshold,
    int recoveryThreshold,
    List<String> detectionObservers,
    Duration maxLagOnFailover,
    Duration minFailoverInterval,
    Duration writeLeaseTtl,
    Duration writeLeaseSafetyMargin,
    Duration promotionTimeout,
    Duration routingTimeout,
    Duration scaleTimeout,
    Duration catchUpTimeout,
    AutomaticFailover automaticFailover,
    boolean automaticFailback,
    Duration runLeaseTtl,
    int writerCapacity,
    int standbyCapacity,
    Duration rpoLedgerLookback) {

  public static final String ENTRY_POINT_OBSERVER = "entry-point";
  public static final String STANDBY_SIDE_OBSERVER = "standby-side";

  /** Validated by the builder; the canonical constructor only copies. */
  public OrchestratorConfig {
    detectionObservers = List.copyOf(detectionObservers);
  }

  /** The AWS defaults. */
  public static Builder builder() {
    return new Builder();
  }

  /** The local regions' preset: 1 s checks, short leases and timeouts. */
  public static Builder localBuilder() {
    return new Builder()
        .healthCheckInterval(Duration.ofSeconds(1))
        .writeLeaseTtl(Duration.ofSeconds(3))
        .writeLeaseSafetyMargin(Duration.ofMillis(500))
        .minFailoverInterval(Duration.ofMinutes(1))
        .promotionTimeout(Duration.ofSeconds(30))
        .routingTimeout(Duration.ofSeconds(10))
        .scaleTimeout(Duration.ofSeconds(30))
        .catchUpTimeout(Duration.ofSeconds(30))
        .runLeaseTtl(Duration.ofSeconds(15))
        .writerCapacity(1)
        .standbyCapacity(1);
  }

  public static OrchestratorConfig defaults() {
    return builder().build();
  }

  /** How often a write lease holder renews: a third of the TTL, so two renewals may fail. */
  public Duration writeLeaseRenewInterval() {
    return writeLeaseTtl.dividedBy(3);
  }

  /** How often the orchestrator renews its run lease during a run. */
  public Duration runLeaseRenewInterval() {
    return runLeaseTtl.dividedBy(3);
  }

  /** A probe result older than this is treated as missing. */
  public Duration probeStaleAfter() {
    return healthCheckInterval.multipliedBy(3);
  }

  /** Every setting with its value, one per line, in a stable order ({@code name = value}). */
  public Map<String, String> settings() {
    Map<String, String> out = new LinkedHashMap<>();
    out.put("healthCheckInterval", Durations.format(healthCheckInterval));
    out.put("failureThreshold", Integer.toString(failureThreshold));
    out.put("recoveryThreshold", Integer.toString(recoveryThreshold));
    out.put("detectionObservers", String.join(",", detectionObservers));
    out.put("maxLagOnFailover", Durations.format(maxLagOnFailover));
    out.put("minFailoverInterval", Durations.format(minFailoverInterval));
    out.put("writeLeaseTtl", Durations.format(writeLeaseTtl));
    out.put("writeLeaseSafetyMargin", Durations.format(writeLeaseSafetyMargin));
    out.put("promotionTimeout", Durations.format(promotionTimeout));
    out.put("routingTimeout", Durations.format(routingTimeout));
    out.put("scaleTimeout", Durations.format(scaleTimeout));
    out.put("catchUpTimeout", Durations.format(catchUpTimeout));
    out.put("automaticFailover", automaticFailover.name());
    out.put("automaticFailback", Boolean.toString(automaticFailback));
    out.put("runLeaseTtl", Durations.format(runLeaseTtl));
    out.put("writerCapacity", Integer.toString(writerCapacity));
    out.put("standbyCapacity", Integer.toString(standbyCapacity));
    out.put("rpoLedgerLookback", Durations.format(rpoLedgerLookback));
    return out;
  }

  /** The settings as {@code name = value (default D)} lines, for logs and {@code drctl status}. */
  public List<String> describe() {
    Map<String, String> defaults = defaults().settings();
    List<String> lines = new ArrayList<>();
    settings()
        .forEach(
            (name, value) ->
                lines.add(name + " = " + value + " (default " + defaults.get(name) + ")"));
    return lines;
  }

  /** Collects settings; {@link #build()} validates each against its allowed range. */
  public static final class Builder {
    private Duration healthCheckInterval = Duration.ofSeconds(10);
    private int failureThreshold = 3;
    private int recoveryThreshold = 3;
    private List<String> detectionObservers = List.of(ENTRY_POINT_OBSERVER, STANDBY_SIDE_OBSERVER);
    private Duration maxLagOnFailover = Duration.ofSeconds(10);
    private Duration minFailoverInterval = Duration.ofMinutes(10);
    private Duration writeLeaseTtl = Duration.ofSeconds(10);
    private Duration writeLeaseSafetyMargin = Duration.ofSeconds(2);
    private Duration promotionTimeout = Duration.ofMinutes(4);
    private Duration routingTimeout = Duration.ofMinutes(2);
    private Duration scaleTimeout = Duration.ofMinutes(5);
    private Duration catchUpTimeout = Duration.ofMinutes(2);
    private AutomaticFailover automaticFailover = AutomaticFailover.ON;
    private boolean automaticFailback = false;
    private Duration runLeaseTtl = Duration.ofSeconds(60);
    private int writerCapacity = 2;
    private int standbyCapacity = 1;
    private Duration rpoLedgerLookback = Duration.ofMinutes(5);

    private Builder() {}

    public Builder healthCheckInterval(Duration value) {
      healthCheckInterval = value;
      return this;
    }

    public Builder failureThreshold(int value) {
      failureThreshold = value;
      return this;
    }

    public Builder recoveryThreshold(int value) {
      recoveryThreshold = value;
      return this;
    }

    public Builder detectionObservers(List<String> value) {
      detectionObservers = value;
      return this;
    }

    public Builder maxLagOnFailover(Duration value) {
      maxLagOnFailover = value;
      return this;
    }

    public Builder minFailoverInterval(Duration value) {
      minFailoverInterval = value;
      return this;
    }

    public Builder writeLeaseTtl(Duration value) {
      writeLeaseTtl = value;
      return this;
    }

    public Builder writeLeaseSafetyMargin(Duration value) {
      writeLeaseSafetyMargin = value;
      return this;
    }

    public Builder promotionTimeout(Duration value) {
      promotionTimeout = value;
      return this;
    }

    public Builder routingTimeout(Duration value) {
      routingTimeout = value;
      return this;
    }

    public Builder scaleTimeout(Duration value) {
      scaleTimeout = value;
      return this;
    }

    public Builder catchUpTimeout(Duration value) {
      catchUpTimeout = value;
      return this;
    }

    public Builder automaticFailover(AutomaticFailover value) {
      automaticFailover = value;
      return this;
    }

    public Builder automaticFailback(boolean value) {
      automaticFailback = value;
      return this;
    }

    public Builder runLeaseTtl(Duration value) {
      runLeaseTtl = value;
      return this;
    }

    public Builder writerCapacity(int value) {
      writerCapacity = value;
      return this;
    }

    public Builder standbyCapacity(int value) {
      standbyCapacity = value;
      return this;
    }

    public Builder rpoLedgerLookback(Duration value) {
      rpoLedgerLookback = value;
      return this;
    }

    /**
     * Sets one setting from its name and text form ({@code 10s}, {@code 500ms}, {@code 3}, {@code
     * ON}), as config files and command lines give them.
     */
    public Builder set(String name, String value) {
      Objects.requireNonNull(value, name);
      switch (name) {
        case "healthCheckInterval" -> healthCheckInterval = Durations.parse(name, value);
        case "failureThreshold" -> failureThreshold = parseInt(name, value);
        case "recoveryThreshold" -> recoveryThreshold = parseInt(name, value);
        case "detectionObservers" ->
            detectionObservers = List.of(value.trim().isEmpty() ? new String[0] : value.split(","));
        case "maxLagOnFailover" -> maxLagOnFailover = Durations.parse(name, value);
        case "minFailoverInterval" -> minFailoverInterval = Durations.parse(name, value);
        case "writeLeaseTtl" -> writeLeaseTtl = Durations.parse(name, value);
        case "writeLeaseSafetyMargin" -> writeLeaseSafetyMargin = Durations.parse(name, value);
        case "promotionTimeout" -> promotionTimeout = Durations.parse(name, value);
        case "routingTimeout" -> routingTimeout = Durations.parse(name, value);
        case "scaleTimeout" -> scaleTimeout = Durations.parse(name, value);
        case "catchUpTimeout" -> catchUpTimeout = Durations.parse(name, value);
        case "automaticFailover" -> automaticFailover = parseAutomaticFailover(value);
        case "automaticFailback" -> automaticFailback = parseBoolean(name, value);
        case "runLeaseTtl" -> runLeaseTtl = Durations.parse(name, value);
        case "writerCapacity" -> writerCapacity = parseInt(name, value);
        case "standbyCapacity" -> standbyCapacity = parseInt(name, value);
        case "rpoLedgerLookback" -> rpoLedgerLookback = Durations.parse(name, value);
        default ->
            throw new IllegalArgumentException(
                "unknown setting '"
                    + name
                    + "'; allowed: "
                    + String.join(", ", defaults().settings().keySet()));
      }
      return this;
    }

    public OrchestratorConfig build() {
      range(
          "healthCheckInterval",
          healthCheckInterval,
          Duration.ofMillis(100),
          Duration.ofMinutes(5));
      range("failureThreshold", failureThreshold, 1, 20);
      range("recoveryThreshold", recoveryThreshold, 1, 50);
      Objects.requireNonNull(detectionObservers, "detectionObservers");
      List<String> observers = detectionObservers.stream().map(String::trim).toList();
      if (observers.size() < 2
          || observers.stream().distinct().count() != observers.size()
          || observers.stream().anyMatch(String::isEmpty)) {
        throw new IllegalArgumentException(
            "detectionObservers must name at least 2 distinct, non-empty observers, was "
                + detectionObservers);
      }
      range("maxLagOnFailover", maxLagOnFailover, Duration.ZERO, Duration.ofMinutes(10));
      range("minFailoverInterval", minFailoverInterval, Duration.ZERO, Duration.ofDays(7));
      range("writeLeaseTtl", writeLeaseTtl, Duration.ofSeconds(1), Duration.ofMinutes(5));
      Objects.requireNonNull(writeLeaseSafetyMargin, "writeLeaseSafetyMargin");
      if (writeLeaseSafetyMargin.isNegative()
          || writeLeaseSafetyMargin.compareTo(writeLeaseTtl.dividedBy(2)) >= 0) {
        throw new IllegalArgumentException(
            "writeLeaseSafetyMargin must be >= 0 and < writeLeaseTtl/2 ("
                + Durations.format(writeLeaseTtl.dividedBy(2))
                + "), was "
                + Durations.format(writeLeaseSafetyMargin));
      }
      range("promotionTimeout", promotionTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
      range("routingTimeout", routingTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
      range("scaleTimeout", scaleTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
      range("catchUpTimeout", catchUpTimeout, Duration.ofSeconds(1), Duration.ofHours(1));
      if (automaticFailover == null) {
        throw new IllegalArgumentException("automaticFailover must be one of ON, PAUSED");
      }
      range("runLeaseTtl", runLeaseTtl, Duration.ofSeconds(1), Duration.ofHours(1));
      range("writerCapacity", writerCapacity, 1, 1000);
      range("standbyCapacity", standbyCapacity, 0, writerCapacity);
      range("rpoLedgerLookback", rpoLedgerLookback, Duration.ZERO, Duration.ofHours(24));
      return new OrchestratorConfig(
          healthCheckInterval,
          failureThreshold,
          recoveryThreshold,
          observers,
          maxLagOnFailover,
          minFailoverInterval,
          writeLeaseTtl,
          writeLeaseSafetyMargin,
          promotionTimeout,
          routingTimeout,
          scaleTimeout,
          catchUpTimeout,
          automaticFailover,
          automaticFailback,
          runLeaseTtl,
          writerCapacity,
          standbyCapacity,
          rpoLedgerLookback);
    }

    private static void range(String name, Duration value, Duration min, Duration max) {
      if (value == null || value.compareTo(min) < 0 || value.compareTo(max) > 0) {
        throw new IllegalArgumentException(
            name
                + " must be between "
                + Durations.format(min)
                + " and "
                + Durations.format(max)
                + ", was "
                + (value == null ? "unset" : Durations.format(value)));
      }
    }

    private static void range(String name, int value, int min, int max) {
      if (value < min || value > max) {
        throw new IllegalArgumentException(
            name + " must be between " + min + " and " + max + ", was " + value);
      }
    }

    private static int parseInt(String name, String value) {
      try {
        return Integer.parseInt(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            name + " must be a whole number, was '" + value + "'", e);
      }
    }

    private static boolean parseBoolean(String name, String value) {
      return switch (value.trim().toLowerCase(java.util.Locale.ROOT)) {
        case "true", "on", "yes" -> true;
        case "false", "off", "no" -> false;
        default ->
            throw new IllegalArgumentException(
                name + " must be true or false, was '" + value + "'");
      };
    }

    private static AutomaticFailover parseAutomaticFailover(String value) {
      try {
        return AutomaticFailover.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException(
            "automaticFailover must be one of ON, PAUSED, was '" + value + "'", e);
      }
    }
  }
}
