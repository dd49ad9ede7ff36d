package io.tradingdr.aws.reconcile;

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
import java.util.function.Function;

/**
 * {@link OrderReconciliation} through the writer's trading service API, the normal order path: a
 * session for the order's account ({@code POST /sessions}), then {@code POST /orders} with the
 * order as submitted, which the service makes idempotent by (account, client order id). Marking an
 * order cancelled replays it (idempotent) and cancels it ({@code POST /orders/{id}/cancel}): the
 * writer then holds it as CANCELLED under its client order id, so a client retry cannot place it
 * again. The service has no field for the reason; drctl prints and reports it.
 */
public final class ServiceOrderReconciliation implements OrderReconciliation {

  private static final String SESSION_HEADER = "X-Session-Id";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Function<RegionId, URI> services;
  private final HttpClient http;
  private final Duration timeout;

  /**
   * @param services each region's service base URI ({@code http://127.0.1.1:PORT})
   */
  public ServiceOrderReconciliation(Function<RegionId, URI> services, Duration timeout) {
    this.services = Objects.requireNonNull(services, "services");
    this.timeout = Objects.requireNonNull(timeout, "timeout");
    this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
  }

  @Override
  public ReplayOutcome replay(RegionId writer, CommittedOrder order) {
    URI base = services.apply(writer);
    String session = session(base, order.account());
    Response placed =
        post(base.resolve("/orders"), session, order.body(), "replay " + order.clientOrderId());
    return new ReplayOutcome(placed.path("orderId").asText(), placed.status() == 201);
  }

  @Override
  public void markCancelled(RegionId writer, CommittedOrder order, String reason) {
    URI base = services.apply(writer);
    String session = session(base, order.account());
    Response placed =
        post(
            base.resolve("/orders"),
            session,
            order.body(),
            "mark-cancelled " + order.clientOrderId());
    post(
        base.resolve("/orders/" + placed.path("orderId").asText() + "/cancel"),
        session,
        null,
        "mark-cancelled " + order.clientOrderId());
  }

  private String session(URI base, String account) {
    String body;
    try {
      body = JSON.writeValueAsString(Map.of("accountId", account));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a session request", e);
    }
    return post(base.resolve("/sessions"), null, body, "session for " + account)
        .path("sessionId")
        .asText();
  }

  /** The response's status and JSON; 4xx is a refusal, 5xx or no answer unreachable. */
  private Response post(URI uri, String session, String body, String what) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(uri)
            .timeout(timeout)
            .POST(
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (session != null) {
      request.header(SESSION_HEADER, session);
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UnreachableException(what + ": " + uri + " did not answer: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UnreachableException(what + ": interrupted", e);
    }
    int status = response.statusCode();
    if (status >= 500) {
      throw new UnreachableException(
          what + ": " + uri + " answered " + status + ": " + response.body());
    }
    if (status >= 400) {
      throw new RefusedException(
          what + ": " + uri + " refused with " + status + ": " + response.body());
    }
    try {
      return new Response(status, JSON.readTree(response.body()));
    } catch (IOException e) {
      throw new UnreachableException(
          what + ": " + uri + " answered no JSON: " + response.body(), e);
    }
  }

  private record Response(int status, JsonNode json) {
    JsonNode path(String field) {
      return json.path(field);
    }
  }
}
