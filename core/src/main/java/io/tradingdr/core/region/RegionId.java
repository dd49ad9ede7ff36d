package io.tradingdr.core.region;

import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name of a region: an AWS region code ({@code us-east-1}) in AWS, a local region name ({@code
 * region-a}) on one machine.
 */
public record RegionId(String value) implements Comparable<RegionId> {

  private static final Pattern ALLOWED = Pattern.compile("[a-z][a-z0-9-]{0,31}");

  public RegionId {
    Objects.requireNonNull(value, "region id");
    if (!ALLOWED.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "region id '"
              + value
              + "' is invalid: use 1-32 lower-case letters, digits or '-', starting with a letter");
    }
  }

  public static RegionId of(String value) {
    return new RegionId(value);
  }

  @Override
  public int compareTo(RegionId other) {
    return value.compareTo(other.value);
  }

  @Override
  public String toString() {
    return value;
  }
}
