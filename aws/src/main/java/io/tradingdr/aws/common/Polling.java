package io.tradingdr.aws.common;

import io.tradingdr.core.port.UnreachableException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The waiters' loop: observe, stop when done, sleep, until a deadline. Each observation is one SDK
 * call (which retries throttling itself); an observation that throws {@link UnreachableException}
 * is remembered and the loop keeps polling until the deadline, because a control plane that hiccups
 * mid-failover usually answers again.
 */
public final class Polling {

  private final Clock clock;
  private final Duration interval;

  public Polling(Clock clock, Duration interval) {
    this.clock = Objects.requireNonNull(clock, "clock");
    if (interval == null || interval.isNegative() || interval.isZero()) {
      throw new IllegalArgumentException("poll interval must be positive, was " + interval);
    }
    this.interval = interval;
  }

  /** What one observation found. */
  public record Check<T>(boolean done, T value, String description) {
    public static <T> Check<T> done(T value, String description) {
      return new Check<>(true, value, description);
    }

    public static <T> Check<T> notYet(String description) {
      return new Check<>(false, null, description);
    }
  }

  /**
   * Polls {@code observe} until it reports done and returns its value, or throws {@link
   * UnreachableException} naming {@code what} and the last observation once {@code timeout} has
   * passed. {@code RefusedException} from an observation stops the loop at once.
   */
  public <T> T until(String what, Duration timeout, Supplier<Check<T>> observe) {
    Instant deadline = clock.instant().plus(timeout);
    String last = "no observation yet";
    while (true) {
      try {
        Check<T> check = observe.get();
        if (check.done()) {
          return check.value();
        }
        last = check.description();
      } catch (UnreachableException e) {
        last = e.getMessage();
      }
      Instant now = clock.instant();
      if (!now.isBefore(deadline)) {
        throw new UnreachableException(
            what + " not finished after " + timeout + "; last seen: " + last);
      }
      sleep(
          Duration.ofMillis(
              Math.min(interval.toMillis(), Duration.between(now, deadline).toMillis() + 1)));
    }
  }

  private static void sleep(Duration d) {
    try {
      Thread.sleep(d);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted while waiting", e);
    }
  }
}
