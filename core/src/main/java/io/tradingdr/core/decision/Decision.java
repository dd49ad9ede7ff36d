package io.tradingdr.core.decision;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What one step or guard decided, and why. Every step returns one; it is logged and journaled.
 *
 * @param step the step or guard name ({@code promote}, {@code maxLagOnFailover}, ...)
 * @param verdict proceed, already done, refused or failed
 * @param reason one human-readable sentence; a refusal starts with the guard's name followed by a
 *     colon ({@code "maxLagOnFailover: standby lag 4.2s exceeds 1s"})
 * @param facts machine-readable observations behind the decision (lag, epoch, what each observer
 *     saw), in insertion order
 */
public record Decision(String step, Verdict verdict, String reason, Map<String, String> facts) {

  public Decision {
    Objects.requireNonNull(step, "step");
    Objects.requireNonNull(verdict, "verdict");
    Objects.requireNonNull(reason, "reason");
    facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
  }

  public static Decision proceed(String step, String reason, Map<String, String> facts) {
    return new Decision(step, Verdict.PROCEED, reason, facts);
  }

  public static Decision proceed(String step, String reason) {
    return proceed(step, reason, Map.of());
  }

  public static Decision alreadyDone(String step, String reason, Map<String, String> facts) {
    return new Decision(step, Verdict.ALREADY_DONE, reason, facts);
  }

  /** A refusal by {@code guard}; the reason is prefixed with {@code "<guard>: "}. */
  public static Decision refused(String guard, String why, Map<String, String> facts) {
    return new Decision(guard, Verdict.REFUSED, guard + ": " + why, facts);
  }

  public static Decision failed(String step, String why, Map<String, String> facts) {
    return new Decision(step, Verdict.FAILED, step + ": " + why, facts);
  }

  public boolean allowsNext() {
    return verdict.allowsNext();
  }

  /** Same decision with {@code more} facts appended. */
  public Decision withFacts(Map<String, String> more) {
    Map<String, String> all = new LinkedHashMap<>(facts);
    all.putAll(more);
    return new Decision(step, verdict, reason, all);
  }

  @Override
  public String toString() {
    return verdict + " " + reason;
  }
}
