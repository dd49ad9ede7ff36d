package io.tradingdr.local.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradingdr.local.dns.TtlCachingResolver;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The drill's client: a few threads that place orders through the DNS name at a fixed total rate,
 * resolving through the knot server with a TTL-honouring cache, so that what they see includes DNS
 * caching. Every attempt is recorded; the acknowledged ones form the client's own ledger.
 */
final class OrderLoad implements AutoCloseable {

  /**
   * One order attempt. Times are nanoseconds on {@link System#nanoTime()}.
   *
   * @param status the HTTP status, or 0 when no answer came (refused connection, timeout)
   * @param region the answering region, for an acknowledged order
   * @param epoch the write epoch the order was accepted under, for an acknowledged order
   */
  record Attempt(
      String clientOrderId,
      long sentNanos,
      long answeredNanos,
      int status,
      String orderId,
      String region,
      long epoch,
      String error) {

    boolean acknowledged() {
      return status == 201;
    }

    Duration latency() {
      return Duration.ofNanos(answeredNanos - sentNanos);
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final TtlCachingResolver resolver;
  private final String serviceHost;
  private final int port;
  private final String sessionId;
  private final String accountId;
  private final double rate;
  private final int threads;
  private final HttpClient http;
  private final ConcurrentLinkedQueue<Attempt> attempts = new ConcurrentLinkedQueue<>();
  private final AtomicLong sequence = new AtomicLong();
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean stopped;

  OrderLoad(
      TtlCachingResolver resolver,
      String serviceHost,
      int port,
      String sessionId,
      String accountId,
      double rate) {
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.serviceHost = serviceHost;
    this.port = port;
    this.sessionId = sessionId;
    this.accountId = accountId;
    this.rate = rate;
    // Enough threads that one slow answer (up to the request timeout) does not stall the rate.
    this.threads = (int) Math.max(2, Math.min(8, Math.ceil(rate / 25)));
    this.http = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(1000)).build();
  }

  /** Creates a session through the DNS name (the account's orders need one). */
  static String createSession(
      HttpClient http, TtlCachingResolver resolver, String host, int port, String accountId)
      throws IOException, InterruptedException {
    URI uri = uri(resolver, host, port, "/sessions");
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(uri)
                .timeout(Duration.ofSeconds(5))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"accountId\":\"" + accountId + "\"}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 201) {
      throw new IllegalStateException(
          "creating a session at "
              + uri
              + " answered "
              + response.statusCode()
              + ": "
              + response.body());
    }
    return JSON.readTree(response.body()).path("sessionId").asText();
  }

  void start() {
    long period = (long) (threads * 1e9 / rate);
    for (int i = 0; i < threads; i++) {
      long offset = period * i / threads;
      Thread worker =
          Thread.ofPlatform().daemon().name("drill-load-" + i).start(() -> drive(period, offset));
      workers.add(worker);
    }
  }

  private void drive(long periodNanos, long offsetNanos) {
    long next = System.nanoTime() + offsetNanos;
    while (!stopped) {
      long wait = next - System.nanoTime();
      if (wait > 0) {
        try {
          Thread.sleep(Duration.ofNanos(wait));
        } catch (InterruptedException e) {
          return;
        }
      }
      if (stopped) {
        return;
      }
      attempts.add(placeOne());
      // A late thread skips the slots it missed instead of bursting to catch up.
      next = Math.max(next + periodNanos, System.nanoTime());
    }
  }

  private Attempt placeOne() {
    String clientOrderId = accountId + "-" + sequence.incrementAndGet();
    long sent = System.nanoTime();
    try {
      URI uri = uri(resolver, serviceHost, port, "/orders");
      String body =
          "{\"clientOrderId\":\""
              + clientOrderId
              + "\",\"accountId\":\""
              + accountId
              + "\",\"symbol\":\"ACME\",\"side\":\"BUY\",\"type\":\"LIMIT\","
              + "\"quantity\":10,\"limitPrice\":101.5}";
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri)
                  .timeout(Duration.ofSeconds(2))
                  .header("Content-Type", "application/json")
                  .header("X-Session-Id", sessionId)
                  .POST(HttpRequest.BodyPublishers.ofString(body))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long answered = System.nanoTime();
      if (response.statusCode() == 201) {
        JsonNode ack = JSON.readTree(response.body());
        return new Attempt(
            clientOrderId,
            sent,
            answered,
            201,
            ack.path("orderId").asText(),
            ack.path("region").asText(),
            ack.path("epoch").asLong(),
            null);
      }
      return new Attempt(
          clientOrderId,
          sent,
          answered,
          response.statusCode(),
          null,
          null,
          -1,
          abbreviate(response.body()));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return new Attempt(clientOrderId, sent, System.nanoTime(), 0, null, null, -1, "interrupted");
    } catch (IOException | RuntimeException e) {
      return new Attempt(
          clientOrderId, sent, System.nanoTime(), 0, null, null, -1, abbreviate(e.toString()));
    }
  }

  private static URI uri(TtlCachingResolver resolver, String host, int port, String path) {
    return URI.create(
        "http://" + resolver.resolve(host).address().getHostAddress() + ":" + port + path);
  }

  private static String abbreviate(String text) {
    return text == null || text.length() <= 160 ? text : text.substring(0, 160);
  }

  int threads() {
    return threads;
  }

  /** Every attempt so far, in no particular order. */
  List<Attempt> attempts() {
    return List.copyOf(attempts);
  }

  /** Stops the threads and waits for the attempts in flight (at most the request timeout). */
  @Override
  public void close() {
    stopped = true;
    for (Thread worker : workers) {
      try {
        worker.join(Duration.ofSeconds(5));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
