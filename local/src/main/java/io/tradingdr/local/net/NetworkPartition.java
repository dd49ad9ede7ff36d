package io.tradingdr.local.net;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Cuts a set of loopback endpoints off from everything outside one address range, with nftables
 * rules in a table of their own ({@code inet tdr_<name>}), so a partition never touches a rule it
 * did not create and is removed in one step (deleting the table). Only packets to or from the
 * listed endpoints (address and TCP port) are dropped; packets whose other end is inside the exempt
 * range (the region's own addresses) still pass, so a region keeps talking to itself.
 *
 * <p>Dropping (not rejecting) is what a partition looks like to both sides: connections hang and
 * time out. Both directions are dropped, so established connections (replication streams, pooled
 * JDBC and HTTP connections) stall as well as new ones.
 *
 * <p>The table is deleted by {@link #heal()}, by {@link #close()} and by a JVM shutdown hook. It
 * needs root (CAP_NET_ADMIN) and the {@code nft} binary (Debian package {@code nftables}).
 */
public final class NetworkPartition implements AutoCloseable {

  private static final Pattern NAME = Pattern.compile("[a-z0-9_]{1,40}");
  private static final List<Path> NFT_CANDIDATES =
      List.of(Path.of("/usr/sbin/nft"), Path.of("/sbin/nft"), Path.of("/usr/bin/nft"));

  /** An address and TCP port that belongs to the isolated side. */
  public record Endpoint(InetAddress address, int port) {
    public Endpoint {
      Objects.requireNonNull(address, "address");
      if (!(address instanceof Inet4Address) || !address.isLoopbackAddress()) {
        throw new IllegalArgumentException(
            "partition endpoints must be IPv4 loopback addresses (127.0.0.0/8), was " + address);
      }
      if (port < 1 || port > 65535) {
        throw new IllegalArgumentException("port must be 1-65535, was " + port);
      }
    }

    @Override
    public String toString() {
      return address.getHostAddress() + ":" + port;
    }
  }

  private final String table;
  private final Set<Endpoint> endpoints;
  private final String exemptCidr;
  private final Path nft;
  private final Thread shutdownHook;
  private boolean active;

  /**
   * @param name unique per run ({@code [a-z0-9_]}); the table is {@code tdr_<name>}
   * @param endpoints the isolated side's listening endpoints
   * @param exemptCidr the isolated side's own loopback range, e.g. {@code 127.0.1.0/24}
   */
  public NetworkPartition(String name, Set<Endpoint> endpoints, String exemptCidr) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException(
          "partition name '" + name + "' is invalid: use 1-40 of a-z, 0-9, '_'");
    }
    if (endpoints.isEmpty()) {
      throw new IllegalArgumentException("a partition needs at least one endpoint");
    }
    if (!exemptCidr.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}/(8|9|[12]\\d|3[0-2])")) {
      throw new IllegalArgumentException(
          "exemptCidr must be a range inside 127.0.0.0/8 such as 127.0.1.0/24, was " + exemptCidr);
    }
    this.table = "tdr_" + name;
    this.endpoints = Set.copyOf(new LinkedHashSet<>(endpoints));
    this.exemptCidr = exemptCidr;
    this.nft = locateNft();
    this.shutdownHook = new Thread(this::heal, "partition-heal-" + name);
  }

  /** The nftables table this partition owns. */
  public String tableName() {
    return table;
  }

  /** Whether nftables can be used here (the binary exists and we are root). */
  public static boolean isSupported() {
    return NFT_CANDIDATES.stream().anyMatch(Files::isExecutable) && isRoot();
  }

  /**
   * Installs the rules. Idempotent: a table left behind by a crashed run of this name is replaced.
   */
  public synchronized void cut() {
    if (active) {
      return;
    }
    deleteTableIfPresent(nft, table);
    Runtime.getRuntime().addShutdownHook(shutdownHook);
    active = true;
    try {
      run(nft, List.of("-f", "-"), ruleset());
    } catch (RuntimeException e) {
      heal();
      throw e;
    }
  }

  /** Removes the rules (the whole table). Idempotent. */
  public synchronized void heal() {
    if (!active) {
      return;
    }
    deleteTableIfPresent(nft, table);
    active = false;
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // Already shutting down: this call comes from the hook itself.
    }
  }

  public synchronized boolean isActive() {
    return active;
  }

  @Override
  public void close() {
    heal();
  }

  /**
   * Deletes the table {@code tdr_<name>} if it exists, e.g. left behind by a run that was killed
   * with SIGKILL (no shutdown hook). Only ever deletes a table with our prefix.
   */
  public static void removeLeftover(String name) {
    if (!NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("partition name '" + name + "' is invalid");
    }
    if (!isSupported()) {
      // Without nft or root no partition can have been created.
      return;
    }
    deleteTableIfPresent(locateNft(), "tdr_" + name);
  }

  String ruleset() {
    StringBuilder rules = new StringBuilder();
    rules.append("table inet ").append(table).append(" {\n");
    // Priority -10: before the usual filter chains, so a later accept elsewhere cannot undo it.
    rules.append("  chain output {\n    type filter hook output priority -10; policy accept;\n");
    for (Endpoint endpoint : endpoints) {
      String address = endpoint.address().getHostAddress();
      rules.append(
          "    ip daddr %s tcp dport %d ip saddr != %s drop\n"
              .formatted(address, endpoint.port(), exemptCidr));
      rules.append(
          "    ip saddr %s tcp sport %d ip daddr != %s drop\n"
              .formatted(address, endpoint.port(), exemptCidr));
    }
    rules.append("  }\n}\n");
    return rules.toString();
  }

  private static void deleteTableIfPresent(Path nft, String table) {
    String listing = run(nft, List.of("list", "tables", "inet"), "");
    if (listing.lines().anyMatch(line -> line.trim().equals("table inet " + table))) {
      run(nft, List.of("delete", "table", "inet", table), "");
    }
  }

  private static Path locateNft() {
    return NFT_CANDIDATES.stream()
        .filter(Files::isExecutable)
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "nft not found: install the Debian package 'nftables' (scripts/install-deps)"));
  }

  private static boolean isRoot() {
    try {
      Process id = new ProcessBuilder("id", "-u").redirectErrorStream(true).start();
      String out = new String(id.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
      return id.waitFor(5, TimeUnit.SECONDS) && out.equals("0");
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  private static String run(Path nft, List<String> args, String stdin) {
    List<String> command = new ArrayList<>();
    command.add(nft.toString());
    command.addAll(args);
    try {
      Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
      process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      process.getOutputStream().close();
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!process.waitFor(10, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", command) + " did not finish in 10 s");
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(
            String.join(" ", command)
                + " failed ("
                + process.exitValue()
                + "): "
                + out.trim()
                + (isRoot() ? "" : " (nftables needs root)"));
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException("cannot run " + nft, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running nft", e);
    }
  }
}
