package io.tradingdr.local.dns;

import io.tradingdr.core.port.UnreachableException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * A client's stub resolver: resolves names through one DNS server and keeps each answer for its
 * TTL, like an operating system or JVM cache does. The drill client uses it so that what it
 * measures includes DNS caching: after a route change it keeps sending to the old region until the
 * cached answer expires.
 */
public final class TtlCachingResolver {

  private final InetSocketAddress server;
  private final Clock clock;
  private final Duration queryTimeout;
  private final ConcurrentMap<Name, Cached> cache = new ConcurrentHashMap<>();

  public TtlCachingResolver(InetSocketAddress server, Clock clock, Duration queryTimeout) {
    this.server = Objects.requireNonNull(server, "server");
    this.clock = Objects.requireNonNull(clock, "clock");
    this.queryTimeout = Objects.requireNonNull(queryTimeout, "queryTimeout");
  }

  /** One resolved address and until when it may be used. */
  public record Resolution(InetAddress address, Instant expiresAt, boolean fromCache) {}

  /**
   * The address of {@code name}: the cached one while its TTL runs, else a fresh query.
   *
   * @throws UnreachableException the server did not answer, or the name has no A record
   */
  public Resolution resolve(String name) {
    Name key;
    try {
      key = Name.fromString(name.endsWith(".") ? name : name + ".");
    } catch (TextParseException e) {
      throw new IllegalArgumentException("invalid DNS name '" + name + "': " + e.getMessage(), e);
    }
    Instant now = clock.instant();
    Cached cached = cache.get(key);
    if (cached != null && now.isBefore(cached.expiresAt())) {
      return new Resolution(cached.address(), cached.expiresAt(), true);
    }
    Cached fresh = query(key, now);
    cache.put(key, fresh);
    return new Resolution(fresh.address(), fresh.expiresAt(), false);
  }

  /** Forgets every cached answer. */
  public void flush() {
    cache.clear();
  }

  private Cached query(Name name, Instant now) {
    try {
      SimpleResolver resolver = new SimpleResolver(server);
      resolver.setTimeout(queryTimeout);
      Message answer = resolver.send(Message.newQuery(Record.newRecord(name, Type.A, DClass.IN)));
      if (answer.getRcode() != Rcode.NOERROR) {
        throw new UnreachableException(
            "DNS server "
                + server
                + " answered "
                + Rcode.string(answer.getRcode())
                + " for "
                + name);
      }
      return answer.getSection(Section.ANSWER).stream()
          .filter(ARecord.class::isInstance)
          .map(ARecord.class::cast)
          .findFirst()
          .map(a -> new Cached(a.getAddress(), now.plusSeconds(a.getTTL())))
          .orElseThrow(() -> new UnreachableException("no A record for " + name + " at " + server));
    } catch (IOException e) {
      throw new UnreachableException("DNS server " + server + " did not answer for " + name, e);
    }
  }

  private record Cached(InetAddress address, Instant expiresAt) {}
}
