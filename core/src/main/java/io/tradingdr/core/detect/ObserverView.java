package io.tradingdr.core.detect;

import io.tradingdr.core.port.ProbeResult;
import java.util.Objects;
import java.util.Optional;

/**
 * What one observer saw of one region.
 *
 * @param consecutiveFailures failed checks in a row, up to now
 * @param consecutiveSuccesses good checks in a row, up to now
 * @param last the latest result, empty when the observer never reported
 */
public record ObserverView(
    String observer,
    ObserverState state,
    int consecutiveFailures,
    int consecutiveSuccesses,
    Optional<ProbeResult> last) {

  public ObserverView {
    Objects.requireNonNull(observer, "observer");
    Objects.requireNonNull(state, "state");
    Objects.requireNonNull(last, "last");
  }

  /** {@code entry-point=down (3 failures, last: 503 Service Unavailable)}. */
  public String summary() {
    String detail = last.map(ProbeResult::detail).orElse("no result");
    return observer
        + "="
        + state.label()
        + " ("
        + (consecutiveFailures > 0
            ? consecutiveFailures + " failures"
            : consecutiveSuccesses + " successes")
        + ", last: "
        + detail
        + ")";
  }
}
