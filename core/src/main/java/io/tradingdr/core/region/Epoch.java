package io.tradingdr.core.region;

/**
 * A write epoch: a number that grows by one every time the right to write orders moves (a grant, a
 * revocation). Every acknowledged order carries the epoch it was accepted under, so that a write
 * from an older epoch can be told apart from one accepted after a failover.
 */
public record Epoch(long value) implements Comparable<Epoch> {

  public static final Epoch ZERO = new Epoch(0);

  public Epoch {
    if (value < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, was " + value);
    }
  }

  public Epoch next() {
    return new Epoch(Math.addExact(value, 1));
  }

  public boolean isAfter(Epoch other) {
    return value > other.value;
  }

  @Override
  public int compareTo(Epoch other) {
    return Long.compare(value, other.value);
  }

  @Override
  public String toString() {
    return Long.toString(value);
  }
}
