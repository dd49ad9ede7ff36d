package io.tradingdr.core.region;

/** What a region does for the business at a given moment. */
public enum RegionRole {
  /** Holds the write lease: accepts order writes. */
  WRITER,
  /** Replicates from the writer; serves reads and health, refuses writes. */
  STANDBY,
  /** Was the writer and has been cut off from writing; must be re-protected before it serves. */
  FENCED,
  /** Its state cannot be observed right now. */
  UNKNOWN
}
