package io.tradingdr.local.dns;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.Type;

/**
 * A real authoritative DNS server (Debian's {@code knotd}) for one zone, on a loopback address and
 * a free port, that accepts RFC 2136 dynamic updates signed with a generated TSIG key. It plays
 * Route 53's hosted zone for the local regions. Its files live under one directory; the process is
 * a child of this JVM and is stopped by its own PID.
 */
public final class KnotDnsServer implements AutoCloseable {

  private static final List<Path> KNOTD_CANDIDATES =
      List.of(Path.of("/usr/sbin/knotd"), Path.of("/usr/bin/knotd"));

  private final Settings settings;
  private final InetSocketAddress address;
  private final TsigKey key;
  private final Process process;
  private final Path logFile;

  private KnotDnsServer(
      Settings settings, InetSocketAddress address, TsigKey key, Process process, Path logFile) {
    this.settings = settings;
    this.address = address;
    this.key = key;
    this.process = process;
    this.logFile = logFile;
  }

  /**
   * What to serve.
   *
   * @param directory where the configuration, zone file, journal and log go (created if missing)
   * @param zone the zone apex, absolute ({@code trading.local.})
   * @param listenAddress loopback address to listen on
   * @param port UDP+TCP port, 0 for a free one
   * @param records initial A records, name (absolute) to address
   * @param ttl TTL of the initial records and the negative-answer TTL
   */
  public record Settings(
      Path directory,
      String zone,
      InetAddress listenAddress,
      int port,
      Map<String, InetAddress> records,
      Duration ttl) {

    public Settings {
      Objects.requireNonNull(directory, "directory");
      Objects.requireNonNull(listenAddress, "listenAddress");
      Objects.requireNonNull(ttl, "ttl");
      if (!zone.endsWith(".")) {
        throw new IllegalArgumentException("zone must be absolute (end with '.'): " + zone);
      }
      if (port < 0 || port > 65535) {
        throw new IllegalArgumentException("port must be 0-65535, was " + port);
      }
      if (ttl.isNegative() || ttl.toSeconds() > 86_400) {
        throw new IllegalArgumentException("ttl must be 0-86400 s, was " + ttl);
      }
      for (String name : records.keySet()) {
        if (!name.endsWith("." + zone)) {
          throw new IllegalArgumentException(
              "record " + name + " is not an absolute name inside zone " + zone);
        }
      }
      records = Map.copyOf(new LinkedHashMap<>(records));
    }
  }

  /** Starts knotd and waits until it answers the zone's SOA, or fails with its log. */
  public static KnotDnsServer start(Settings settings, Duration timeout) {
    Path knotd = KNOTD_CANDIDATES.stream().filter(Files::isExecutable).findFirst().orElse(null);
    if (knotd == null) {
      throw new IllegalStateException(
          "knotd not found in /usr/sbin or /usr/bin: install the Debian package 'knot'"
              + " (scripts/install-deps)");
    }
    try {
      Path dir = settings.directory().toAbsolutePath();
      Files.createDirectories(dir.resolve("zones"));
      Files.createDirectories(dir.resolve("db"));
      int port =
          settings.port() == 0 ? freeUdpAndTcpPort(settings.listenAddress()) : settings.port();
      TsigKey key = TsigKey.generate("tdr-update.");
      Path config = dir.resolve("knot.conf");
      Files.writeString(config, config(dir, settings, port, key), StandardCharsets.UTF_8);
      Files.writeString(
          dir.resolve("zones").resolve(settings.zone() + "zone"),
          zoneFile(settings),
          StandardCharsets.UTF_8);
      Path log = dir.resolve("knotd.log");
      Process process =
          new ProcessBuilder(knotd.toString(), "-c", config.toString())
              .directory(dir.toFile())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
              .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
              .start();
      KnotDnsServer server =
          new KnotDnsServer(
              settings, new InetSocketAddress(settings.listenAddress(), port), key, process, log);
      Runtime.getRuntime().addShutdownHook(new Thread(server::close, "knotd-stop"));
      server.awaitServing(timeout);
      return server;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start knotd under " + settings.directory(), e);
    }
  }

  public InetSocketAddress address() {
    return address;
  }

  public String zone() {
    return settings.zone();
  }

  /** The key that authorises updates of the zone. */
  public TsigKey updateKey() {
    return key;
  }

  public long pid() {
    return process.pid();
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  public Path logFile() {
    return logFile;
  }

  /** SIGTERM, then SIGKILL after 5 s. Idempotent. */
  @Override
  public void close() {
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    try {
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }

  private void awaitServing(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Exception last = null;
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "knotd exited with " + process.exitValue() + " during start; log:\n" + logTail());
      }
      try {
        SimpleResolver resolver = new SimpleResolver(address);
        resolver.setTimeout(Duration.ofMillis(300));
        Message answer =
            resolver.send(
                Message.newQuery(
                    Record.newRecord(Name.fromString(settings.zone()), Type.SOA, DClass.IN)));
        if (answer.getRcode() == Rcode.NOERROR
            && answer.getSection(org.xbill.DNS.Section.ANSWER).size() == 1) {
          return;
        }
      } catch (IOException e) {
        last = e;
      }
      sleep(Duration.ofMillis(50));
    }
    close();
    throw new IllegalStateException(
        "knotd did not serve "
            + settings.zone()
            + " on "
            + address
            + " within "
            + timeout
            + (last == null ? "" : " (" + last.getMessage() + ")")
            + "; log:\n"
            + logTail());
  }

  private String logTail() {
    try {
      List<String> lines = Files.readAllLines(logFile, StandardCharsets.UTF_8);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
    } catch (IOException e) {
      return "(log unreadable: " + e.getMessage() + ")";
    }
  }

  private static String config(Path dir, Settings settings, int port, TsigKey key) {
    return """
        # Generated by Trading DR local regions; one server per run directory.
        server:
            rundir: "%1$s"
            pidfile: "%1$s/knotd.pid"
            listen: %2$s@%3$d
        control:
            listen: "%1$s/knot.sock"
        database:
            storage: "%1$s/db"
        log:
          - target: stderr
            any: info
        key:
          - id: %4$s
            algorithm: %5$s
            secret: %6$s
        acl:
          - id: tdr-update
            key: %4$s
            action: update
        template:
          - id: default
            storage: "%1$s/zones"
            file: "%%s.zone"
            zonefile-sync: -1
            zonefile-load: whole
            journal-content: changes
        zone:
          - domain: %7$s
            acl: tdr-update
        """
        .formatted(
            dir,
            settings.listenAddress().getHostAddress(),
            port,
            key.name(),
            TsigKey.KNOT_ALGORITHM,
            key.secretBase64(),
            settings.zone());
  }

  private static String zoneFile(Settings settings) {
    long ttl = settings.ttl().toSeconds();
    StringBuilder zone = new StringBuilder();
    zone.append("$TTL ").append(ttl).append('\n');
    // Serial 1; refresh/retry/expire matter only for secondaries, which there are none of.
    zone.append("@ SOA ns.")
        .append(settings.zone())
        .append(" hostmaster.")
        .append(settings.zone())
        .append(" 1 60 60 3600 ")
        .append(ttl)
        .append('\n');
    zone.append("@ NS ns.").append(settings.zone()).append('\n');
    zone.append("ns A ").append(settings.listenAddress().getHostAddress()).append('\n');
    settings
        .records()
        .forEach(
            (name, address) ->
                zone.append(name)
                    .append(' ')
                    .append(ttl)
                    .append(" A ")
                    .append(address.getHostAddress())
                    .append('\n'));
    return zone.toString();
  }

  private static int freeUdpAndTcpPort(InetAddress address) throws IOException {
    // DNS needs the same port free for UDP and TCP; retry the rare case where only one is.
    for (int attempt = 0; attempt < 50; attempt++) {
      try (ServerSocket tcp = new ServerSocket()) {
        tcp.bind(new InetSocketAddress(address, 0));
        int port = tcp.getLocalPort();
        try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(address, port))) {
          return udp.getLocalPort();
        } catch (IOException e) {
          // UDP side taken: try another port.
        }
      }
    }
    throw new IOException("no port free for both UDP and TCP on " + address.getHostAddress());
  }

  private static void sleep(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
