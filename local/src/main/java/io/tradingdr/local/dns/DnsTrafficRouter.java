package io.tradingdr.local.dns;

import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.RouteMode;
import io.tradingdr.core.port.RoutingState;
import io.tradingdr.core.port.TrafficRouter;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;
import org.xbill.DNS.Update;

/**
 * {@link TrafficRouter} over RFC 2136 dynamic DNS: the service name has one A record, the address
 * of the active region, and a route change replaces it in one TSIG-signed update whose prerequisite
 * is the record set read just before (compare-and-set, so two routers cannot silently overwrite
 * each other). This is the local stand-in for Route 53 record changes.
 *
 * <p>{@link RouteMode#PLANNED} and {@link RouteMode#EMERGENCY} behave the same here: the DNS server
 * lives in neither region, like Route 53's data plane. Errors: {@link UnreachableException} when
 * the server does not answer in time (the update may or may not have been applied: {@link
 * #current()} tells), {@link RefusedException} when it refuses (bad key, not authoritative).
 */
public final class DnsTrafficRouter implements TrafficRouter {

  private static final Duration QUERY_TIMEOUT = Duration.ofSeconds(2);
  private static final int MAX_CONFLICT_RETRIES = 5;

  private final InetSocketAddress server;
  private final Name zone;
  private final Name recordName;
  private final TsigKey key;
  private final Map<RegionId, InetAddress> regionAddresses;
  private final Duration ttl;

  /**
   * @param server the authoritative server (its address and port)
   * @param zone the zone apex, absolute
   * @param recordName the service name clients resolve, absolute, inside {@code zone}
   * @param key TSIG key the server accepts updates with
   * @param regionAddresses each region's service address; exactly the regions we route between
   * @param ttl TTL written with the record: the longest a client may keep sending to the old region
   */
  public DnsTrafficRouter(
      InetSocketAddress server,
      String zone,
      String recordName,
      TsigKey key,
      Map<RegionId, InetAddress> regionAddresses,
      Duration ttl) {
    this.server = Objects.requireNonNull(server, "server");
    this.key = Objects.requireNonNull(key, "key");
    this.ttl = Objects.requireNonNull(ttl, "ttl");
    if (ttl.isNegative() || ttl.toSeconds() > 86_400) {
      throw new IllegalArgumentException("ttl must be 0-86400 s, was " + ttl);
    }
    if (regionAddresses.size() < 2 || regionAddresses.values().stream().distinct().count() < 2) {
      throw new IllegalArgumentException(
          "regionAddresses needs two or more regions with distinct addresses, was "
              + regionAddresses);
    }
    this.regionAddresses = Map.copyOf(new LinkedHashMap<>(regionAddresses));
    try {
      this.zone = Name.fromString(zone);
      this.recordName = Name.fromString(recordName);
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid DNS name: " + e.getMessage(), e);
    }
    if (!this.zone.isAbsolute() || !this.recordName.subdomain(this.zone)) {
      throw new IllegalArgumentException(
          "recordName " + recordName + " must be an absolute name inside zone " + zone);
    }
  }

  /** Reads the record from the authoritative server. */
  @Override
  public RoutingState current() {
    Observed observed = observe();
    Optional<RegionId> active = activeRegion(observed);
    Map<RegionId, Integer> weights = new LinkedHashMap<>();
    regionAddresses.keySet().stream()
        .sorted()
        .forEach(
            region -> weights.put(region, active.filter(region::equals).isPresent() ? 100 : 0));
    return new RoutingState(weights, active, describe(observed));
  }

  /**
   * Points the record at {@code region} (compare-and-set against what was just read) and waits
   * until the server answers the new address with a newer SOA serial. Idempotent: returns at once
   * when the record already names only that region.
   */
  @Override
  public void routeTo(RegionId region, RouteMode mode, Duration timeout) {
    Objects.requireNonNull(mode, "mode");
    InetAddress target = regionAddresses.get(region);
    if (target == null) {
      throw new IllegalArgumentException(
          "unknown region " + region + "; allowed: " + regionAddresses.keySet());
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    int conflicts = 0;
    while (true) {
      try {
        Observed before = observe();
        if (before.addresses().equals(List.of(target))) {
          return;
        }
        sendUpdate(before, target);
        awaitServed(target, before.serial(), deadline);
        return;
      } catch (ConflictException e) {
        // Someone changed the record between our read and our update: re-read and decide again.
        if (++conflicts >= MAX_CONFLICT_RETRIES || System.nanoTime() > deadline) {
          throw e;
        }
      } catch (UnreachableException e) {
        // A lost answer is safe to retry: the compare-and-set turns a repeat into a re-read.
        if (System.nanoTime() > deadline || Thread.currentThread().isInterrupted()) {
          throw e;
        }
      }
    }
  }

  private void sendUpdate(Observed before, InetAddress target) {
    Update update = new Update(zone);
    if (before.addresses().isEmpty()) {
      update.absent(recordName, Type.A);
    } else {
      for (InetAddress address : before.addresses()) {
        // RFC 2136 2.4.2: a value-dependent prerequisite carries TTL 0.
        update.present(new ARecord(recordName, DClass.IN, 0, address));
      }
    }
    update.replace(new ARecord(recordName, DClass.IN, ttl.toSeconds(), target));
    Message response;
    try {
      SimpleResolver resolver = resolver();
      resolver.setTSIGKey(key.toTsig());
      resolver.setTCP(true);
      response = resolver.send(update);
    } catch (IOException e) {
      throw new UnreachableException(
          "DNS server " + server + " did not answer the update of " + recordName, e);
    }
    int rcode = response.getRcode();
    if (rcode == Rcode.NOERROR) {
      return;
    }
    if (rcode == Rcode.NXRRSET || rcode == Rcode.YXRRSET || rcode == Rcode.NXDOMAIN) {
      throw new ConflictException(
          recordName
              + " changed since it was read ("
              + describe(before)
              + "): "
              + Rcode.string(rcode));
    }
    throw new RefusedException(
        "DNS server "
            + server
            + " refused the update of "
            + recordName
            + ": "
            + Rcode.string(rcode));
  }

  private void awaitServed(InetAddress target, long serialBefore, long deadline) {
    while (true) {
      Observed now = observe();
      if (now.addresses().equals(List.of(target)) && serialNewer(now.serial(), serialBefore)) {
        return;
      }
      if (System.nanoTime() > deadline) {
        throw new UnreachableException(
            "DNS server "
                + server
                + " does not serve "
                + recordName
                + " -> "
                + target.getHostAddress()
                + " yet ("
                + describe(now)
                + ")");
      }
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new UnreachableException("interrupted while waiting for " + recordName, e);
      }
    }
  }

  /** RFC 1982 serial arithmetic: the serial wraps at 2^32. */
  private static boolean serialNewer(long serial, long than) {
    long diff = (serial - than) & 0xFFFF_FFFFL;
    return diff != 0 && diff < 0x8000_0000L;
  }

  private Observed observe() {
    try {
      SimpleResolver resolver = resolver();
      Message aAnswer =
          resolver.send(Message.newQuery(Record.newRecord(recordName, Type.A, DClass.IN)));
      Message soaAnswer =
          resolver.send(Message.newQuery(Record.newRecord(zone, Type.SOA, DClass.IN)));
      if (aAnswer.getRcode() != Rcode.NOERROR && aAnswer.getRcode() != Rcode.NXDOMAIN) {
        throw new RefusedException(
            "DNS server "
                + server
                + " answered "
                + Rcode.string(aAnswer.getRcode())
                + " for "
                + recordName);
      }
      List<InetAddress> addresses =
          aAnswer.getSection(Section.ANSWER).stream()
              .filter(ARecord.class::isInstance)
              .map(r -> ((ARecord) r).getAddress())
              .sorted((x, y) -> x.getHostAddress().compareTo(y.getHostAddress()))
              .toList();
      long recordTtl =
          aAnswer.getSection(Section.ANSWER).stream().mapToLong(Record::getTTL).min().orElse(0);
      long serial =
          soaAnswer.getSection(Section.ANSWER).stream()
              .filter(SOARecord.class::isInstance)
              .mapToLong(r -> ((SOARecord) r).getSerial())
              .findFirst()
              .orElseThrow(
                  () -> new RefusedException("DNS server " + server + " has no SOA for " + zone));
      return new Observed(addresses, recordTtl, serial);
    } catch (IOException e) {
      throw new UnreachableException(
          "DNS server " + server + " did not answer for " + recordName, e);
    }
  }

  private SimpleResolver resolver() {
    SimpleResolver resolver = new SimpleResolver(server);
    resolver.setTimeout(QUERY_TIMEOUT);
    return resolver;
  }

  private record Observed(List<InetAddress> addresses, long ttlSeconds, long serial) {}

  private String describe(Observed observed) {
    return recordName
        + " A "
        + (observed.addresses().isEmpty()
            ? "(none)"
            : String.join(
                ",", observed.addresses().stream().map(InetAddress::getHostAddress).toList()))
        + " ttl "
        + observed.ttlSeconds()
        + " s, SOA serial "
        + observed.serial();
  }

  private Optional<RegionId> activeRegion(Observed observed) {
    if (observed.addresses().size() != 1) {
      return Optional.empty();
    }
    InetAddress only = observed.addresses().getFirst();
    return regionAddresses.entrySet().stream()
        .filter(e -> e.getValue().equals(only))
        .map(Map.Entry::getKey)
        .findFirst();
  }
}
