package io.tradingdr.core.run;

import io.tradingdr.core.detect.DetectionVerdict;
import java.util.Objects;
import java.util.Optional;

/**
 * A request for a run.
 *
 * @param force accept a failover whose standby lag exceeds {@code maxLagOnFailover} or is unknown
 *     (the refusal is journaled as overridden); ignored by other kinds
 * @param requestedBy who asked ({@code drctl:alice@host}, {@code alarm:trading-primary-down})
 * @param detection the detector's verdict behind an automatic failover; an operator run may omit it
 */
public record RunRequest(
    RunKind kind,
    Trigger trigger,
    boolean force,
    String requestedBy,
    Optional<DetectionVerdict> detection) {

  public RunRequest {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(trigger, "trigger");
    Objects.requireNonNull(requestedBy, "requestedBy");
    Objects.requireNonNull(detection, "detection");
  }

  public static RunRequest operator(RunKind kind, boolean force, String requestedBy) {
    return new RunRequest(kind, Trigger.OPERATOR, force, requestedBy, Optional.empty());
  }

  public static RunRequest automaticFailover(DetectionVerdict verdict, String requestedBy) {
    return new RunRequest(
        RunKind.FAILOVER, Trigger.AUTOMATIC, false, requestedBy, Optional.of(verdict));
  }
}
