package io.tradingdr.core.config;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Short human forms of durations ({@code 500ms}, {@code 10s}, {@code 4.2s}, {@code 10m}). */
public final class Durations {

  private static final Pattern TEXT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(ms|s|m|h|d)");

  private Durations() {}

  /** {@code 0s}, {@code 500ms}, {@code 4.2s}, {@code 10m}, {@code 2h}, {@code 7d}. */
  public static String format(Duration d) {
    long ms = d.toMillis();
    if (ms == 0) {
      return "0s";
    }
    if (ms % 86_400_000 == 0) {
      return ms / 86_400_000 + "d";
    }
    if (ms % 3_600_000 == 0) {
      return ms / 3_600_000 + "h";
    }
    if (ms % 60_000 == 0) {
      return ms / 60_000 + "m";
    }
    if (ms < 1000) {
      return ms + "ms";
    }
    if (ms % 1000 == 0) {
      return ms / 1000 + "s";
    }
    return String.format(Locale.ROOT, "%.1fs", ms / 1000.0);
  }

  /**
   * Parses {@code <number><unit>} with unit ms, s, m, h or d (e.g. {@code 10s}, {@code 1.5s}) or an
   * ISO-8601 duration ({@code PT10S}).
   */
  public static Duration parse(String setting, String text) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher m = TEXT.matcher(t);
    if (m.matches()) {
      double amount = Double.parseDouble(m.group(1));
      long unitMs =
          switch (m.group(2)) {
            case "ms" -> 1L;
            case "s" -> 1_000L;
            case "m" -> 60_000L;
            case "h" -> 3_600_000L;
            default -> 86_400_000L;
          };
      return Duration.ofMillis(Math.round(amount * unitMs));
    }
    try {
      return Duration.parse(text.trim().toUpperCase(Locale.ROOT));
    } catch (java.time.format.DateTimeParseException e) {
      throw new IllegalArgumentException(
          setting + " must be a duration such as 500ms, 10s, 10m, 1h or PT10S, was '" + text + "'",
          e);
    }
  }
}
