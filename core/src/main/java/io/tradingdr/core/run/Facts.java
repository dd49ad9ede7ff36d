package io.tradingdr.core.run;

import io.tradingdr.core.port.Watermark;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** Names of the journal attributes the orchestrator reads back when it resumes or reports. */
public final class Facts {

  public static final String KIND = "kind";
  public static final String TRIGGER = "trigger";
  public static final String FORCE = "force";
  public static final String OWNER = "owner";
  public static final String REQUESTED_BY = "requestedBy";
  public static final String FROM = "from";
  public static final String TO = "to";
  public static final String LEASE_REVOKED_EPOCH = "lease.revokedEpoch";
  public static final String LEASE_OLD_EXPIRES_AT = "lease.oldExpiresAt";
  public static final String LEASE_EXPIRY_DEADLINE = "lease.expiryDeadline";
  public static final String LEASE_GRANTED_EPOCH = "lease.grantedEpoch";
  public static final String PROMOTE_STANDBY_WATERMARK = "promote.standbyWatermark";
  public static final String PROMOTE_WRITER_WATERMARK = "promote.writerWatermark";
  public static final String GUARDS_WRITER_WATERMARK = "guards.writerWatermark";
  public static final String LAG = "replication.lag";

  private Facts() {}

  /** Puts {@code w} as {@code <prefix>.sequence}, {@code .label} and {@code .lastCommitAt}. */
  static void putWatermark(Map<String, String> facts, String prefix, Optional<Watermark> w) {
    w.ifPresent(
        m -> {
          facts.put(prefix + ".sequence", Long.toString(m.sequence()));
          facts.put(prefix + ".label", m.label());
          if (m.lastCommitAt() != null) {
            facts.put(prefix + ".lastCommitAt", m.lastCommitAt().toString());
          }
        });
  }

  static Map<String, String> watermark(String prefix, Optional<Watermark> w) {
    Map<String, String> facts = new LinkedHashMap<>();
    putWatermark(facts, prefix, w);
    return facts;
  }

  /** Reads back a watermark written by {@link #putWatermark}. */
  public static Optional<Watermark> watermark(Map<String, String> facts, String prefix) {
    String sequence = facts.get(prefix + ".sequence");
    if (sequence == null) {
      return Optional.empty();
    }
    String commit = facts.get(prefix + ".lastCommitAt");
    return Optional.of(
        new Watermark(
            Long.parseLong(sequence),
            facts.getOrDefault(prefix + ".label", sequence),
            commit == null ? null : Instant.parse(commit)));
  }
}
