package io.tradingdr.local.regions;

import io.tradingdr.local.db.PostgresStreamingReplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * What {@code drctl local up} starts, validated on construction.
 *
 * @param runDir everything the run writes goes here (data directories, logs, state file)
 * @param mode synchronous or asynchronous database replication
 * @param serviceJar the shaded trading service ({@code service/target/trading-service.jar})
 * @param dnsTtl TTL of the service record: how long a client may keep using the old region
 * @param zone the DNS zone, absolute
 * @param serviceHost the name clients resolve, absolute, inside the zone
 * @param sessionsTable the DynamoDB sessions table, the same name in both regions
 * @param startTimeout how long each component may take to start
 */
public record LocalRegionsSettings(
    Path runDir,
    PostgresStreamingReplication.Mode mode,
    Path serviceJar,
    Duration dnsTtl,
    String zone,
    String serviceHost,
    String sessionsTable,
    Duration startTimeout,
    LocalTopology topology) {

  public static final String DEFAULT_ZONE = "trading.local.";
  public static final String DEFAULT_SERVICE_HOST = "api.trading.local.";
  public static final String DEFAULT_SESSIONS_TABLE = "trading-sessions";
  public static final Duration DEFAULT_DNS_TTL = Duration.ofSeconds(1);

  public LocalRegionsSettings {
    Objects.requireNonNull(runDir, "runDir");
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(serviceJar, "serviceJar");
    Objects.requireNonNull(dnsTtl, "dnsTtl");
    Objects.requireNonNull(startTimeout, "startTimeout");
    Objects.requireNonNull(topology, "topology");
    runDir = runDir.toAbsolutePath().normalize();
    serviceJar = serviceJar.toAbsolutePath().normalize();
    if (dnsTtl.isNegative() || dnsTtl.toSeconds() > 3600) {
      throw new IllegalArgumentException("dnsTtl must be 0-3600 s, was " + dnsTtl);
    }
    if (!zone.endsWith(".") || !serviceHost.endsWith("." + zone)) {
      throw new IllegalArgumentException(
          "serviceHost " + serviceHost + " must be an absolute name inside zone " + zone);
    }
    if (sessionsTable.isBlank()) {
      throw new IllegalArgumentException("sessionsTable must not be blank");
    }
    if (startTimeout.toSeconds() < 1) {
      throw new IllegalArgumentException("startTimeout must be at least 1 s, was " + startTimeout);
    }
  }

  /** Defaults: standard topology, TTL 1 s, zone trading.local., 90 s start timeout per part. */
  public static LocalRegionsSettings of(
      Path runDir, PostgresStreamingReplication.Mode mode, Path serviceJar) {
    return new LocalRegionsSettings(
        runDir,
        mode,
        serviceJar,
        DEFAULT_DNS_TTL,
        DEFAULT_ZONE,
        DEFAULT_SERVICE_HOST,
        DEFAULT_SESSIONS_TABLE,
        Duration.ofSeconds(90),
        LocalTopology.standard());
  }

  /** Checks what must exist before anything starts, with a message that says how to fix it. */
  void requirePrerequisites() {
    if (!Files.isRegularFile(serviceJar)) {
      throw new IllegalStateException(
          "trading service jar not found at "
              + serviceJar
              + ": build it first (mvn -pl service -am package -DskipTests)");
    }
  }
}
