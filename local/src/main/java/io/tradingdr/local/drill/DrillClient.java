package io.tradingdr.local.drill;

import io.tradingdr.local.dns.TtlCachingResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The drill's client: sends orders at a fixed rate to the service's DNS name, resolved through the
 * DNS server with the answer cached for its TTL (as a real client would), and keeps its own ledger
 * of every attempt and every acknowledged order.
 */
public final class DrillClient implements AutoCloseable {

  private static final Pattern REGION = Pattern.compile("\"region\":\"([^\"]+)\"");
  private static final Pattern EPOCH = Pattern.compile("\"epoch\":(\\d+)");
  private static final Pattern ORDER_ID = Pattern.compile("\"orderId\":\"([^\"]+)\"");
  private static final Pattern SESSION_ID = Pattern.compile("\"sessionId\":\"([^\"]+)\"");

  /**
   * One request and what came of it.
   *
   * @param status HTTP status, 0 when no answer (connect error, timeout)
   * @param region the region that acknowledged, when it did
   * @param epoch the write epoch the order was accepted under, when acknowledged
   */
  public record Attempt(
      String clientOrderId,
      Instant sentAt,
      Instant doneAt,
      String address,
      int status,
      Optional<String> region,
      Optional<Long> epoch,
      Optional<String> orderId) {

    public boolean acknowledged() {
      return status == 200 || status == 201;
    }
  }

  private final TtlCachingResolver resolver;
  private final String host;
  private final int port;
  private final String account;
  private final Duration interval;
  private final Clock clock;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofMillis(500)).build();
  private final List<Attempt> attempts = new ArrayList<>();
  private volatile boolean running;
  private Thread worker;
  private String session;

  /**
   * @param rate orders per second, 1-1000
   */
  public DrillClient(
      TtlCachingResolver resolver, String host, int port, String account, int rate, Clock clock) {
    if (rate < 1 || rate > 1000) {
      throw new IllegalArgumentException("rate must be 1-1000 orders/s, was " + rate);
    }
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.host = Objects.requireNonNull(host, "host");
    this.port = port;
    this.account = Objects.requireNonNull(account, "account");
    this.interval = Duration.ofNanos(1_000_000_000L / rate);
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** Opens a trading session through the DNS name and starts sending. */
  public synchronized void start() throws IOException, InterruptedException {
    HttpResponse<String> created =
        http.send(
            HttpRequest.newBuilder(uri("/sessions"))
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"accountId\":\"" + account + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    Matcher id = SESSION_ID.matcher(created.body());
    if (created.statusCode() != 201 || !id.find()) {
      throw new IOException(
          "cannot open a session: HTTP " + created.statusCode() + " " + created.body());
    }
    session = id.group(1);
    running = true;
    worker = Thread.ofPlatform().daemon().name("drill-client").start(this::loop);
  }

  private void loop() {
    long next = System.nanoTime();
    long n = 0;
    while (running) {
      send(account + "-" + (n++));
      next += interval.toNanos();
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void send(String clientOrderId) {
    Instant sentAt = clock.instant();
    String address = "?";
    int status = 0;
    String body = "";
    try {
      URI uri = uri("/orders");
      address = uri.getHost();
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(2))
                  .header("Content-Type", "application/json")
                  .header("X-Session-Id", session)
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"clientOrderId\":\""
                              + clientOrderId
                              + "\",\"accountId\":\""
                              + account
                              + "\",\"symbol\":\"ACME\",\"side\":\"BUY\",\"type\":\"MARKET\","
                              + "\"quantity\":1}"))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      status = response.statusCode();
      body = response.body();
    } catch (IOException | RuntimeException e) {
      status = 0;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      running = false;
      return;
    }
    boolean ok = status == 200 || status == 201;
    Attempt attempt =
        new Attempt(
            clientOrderId,
            sentAt,
            clock.instant(),
            address,
            status,
            ok ? find(REGION, body) : Optional.empty(),
            ok ? find(EPOCH, body).map(Long::parseLong) : Optional.empty(),
            ok ? find(ORDER_ID, body) : Optional.empty());
    synchronized (attempts) {
      attempts.add(attempt);
    }
  }

  private URI uri(String path) {
    InetAddress address = resolver.resolve(host).address();
    return URI.create("http://" + address.getHostAddress() + ":" + port + path);
  }

  private static Optional<String> find(Pattern pattern, String body) {
    Matcher m = pattern.matcher(body);
    return m.find() ? Optional.of(m.group(1)) : Optional.empty();
  }

  /** Every attempt so far, in the order they finished. */
  public List<Attempt> attempts() {
    synchronized (attempts) {
      return List.copyOf(attempts);
    }
  }

  /** Stops sending and waits for the request in flight. Idempotent. */
  public synchronized void stop() {
    running = false;
    if (worker != null) {
      worker.interrupt();
      try {
        worker.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Override
  public void close() {
    stop();
  }
}
