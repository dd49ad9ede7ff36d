package io.tradingdr.local.drill;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.core.rpo.CommittedOrder;
import io.tradingdr.core.rpo.OrderReconciliation;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * {@link OrderReconciliation} through the trading service's own HTTP API on the writer region: a
 * replay is {@code POST /orders} with the order's original body (idempotent by account and client
 * order id, so a second replay answers 200 with the same order), under a session the reconciler
 * opens for the order's account; a cancellation replays the order, then {@code POST
 * /orders/{id}/cancel}.
 */
public final class HttpOrderReconciliation implements OrderReconciliation {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(5);

  private final Function<RegionId, URI> serviceEndpoint;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
  private final Map<String, String> sessions = new ConcurrentHashMap<>();

  /**
   * @param serviceEndpoint each region's service base URL, e.g. {@code http://127.0.2.1:8080}
   */
  public HttpOrderReconciliation(Function<RegionId, URI> serviceEndpoint) {
    this.serviceEndpoint = Objects.requireNonNull(serviceEndpoint, "serviceEndpoint");
  }

  @Override
  public ReplayOutcome replay(RegionId writer, CommittedOrder order) {
    HttpResponse<String> r =
        post(writer, "/orders", order.body(), session(writer, order.account()));
    if (r.statusCode() != 201 && r.statusCode() != 200) {
      throw refusedOrUnreachable("replay of " + order.orderId(), r);
    }
    return new ReplayOutcome(field(r, "orderId"), r.statusCode() == 201);
  }

  @Override
  public void markCancelled(RegionId writer, CommittedOrder order, String reason) {
    // The service's cancel carries no reason; the reconcile report keeps it.
    String orderId = replay(writer, order).orderId();
    HttpResponse<String> r =
        post(writer, "/orders/" + orderId + "/cancel", "{}", session(writer, order.account()));
    if (r.statusCode() != 200 && r.statusCode() != 409) {
      throw refusedOrUnreachable("cancel of " + orderId, r);
    }
  }

  private String session(RegionId writer, String account) {
    return sessions.computeIfAbsent(
        writer.value() + '\u0001' + account,
        k -> {
          HttpResponse<String> r =
              post(
                  writer,
                  "/sessions",
                  JSON.createObjectNode().put("accountId", account).toString(),
                  null);
          if (r.statusCode() != 201) {
            throw refusedOrUnreachable("session for " + account, r);
          }
          return field(r, "sessionId");
        });
  }

  private HttpResponse<String> post(RegionId writer, String path, String body, String session) {
    URI uri = serviceEndpoint.apply(writer).resolve(path);
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (session != null) {
      request.header("X-Session-Id", session);
    }
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UnreachableException("POST " + uri + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException("interrupted: POST " + uri, e);
    }
  }

  private static String field(HttpResponse<String> r, String name) {
    try {
      JsonNode node = JSON.readTree(r.body()).path(name);
      if (!node.isTextual()) {
        throw new IllegalStateException(
            r.request().uri() + " answered without " + name + ": " + r.body());
      }
      return node.asText();
    } catch (IOException e) {
      throw new IllegalStateException(r.request().uri() + " answered no JSON: " + r.body(), e);
    }
  }

  /** 5xx means the writer could not take it now (retry); anything else is a refusal. */
  private static RuntimeException refusedOrUnreachable(String what, HttpResponse<String> r) {
    String message =
        what + ": " + r.request().uri() + " answered " + r.statusCode() + " " + r.body();
    return r.statusCode() >= 500
        ? new UnreachableException(message)
        : new RefusedException(message);
  }
}
