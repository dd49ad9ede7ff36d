package io.tradingdr.service.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.core.fence.WriteRefusedException;
import io.tradingdr.core.port.UnreachableException;
import io.tradingdr.core.region.RegionId;
import io.tradingdr.service.db.DatabaseReadOnlyException;
import io.tradingdr.service.db.DatabaseUnavailableException;
import io.tradingdr.service.health.ReadinessCheck;
import io.tradingdr.service.metrics.ServiceMetrics;
import io.tradingdr.service.orders.Order;
import io.tradingdr.service.orders.OrderPage;
import io.tradingdr.service.orders.OrderRequest;
import io.tradingdr.service.orders.OrderRequestParser;
import io.tradingdr.service.orders.OrderService;
import io.tradingdr.service.orders.OrderStore;
import io.tradingdr.service.sessions.DynamoDbSessionStore;
import io.tradingdr.service.sessions.Session;
import io.tradingdr.service.sessions.SessionStoreUnavailableException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The trading API as a route table, independent of any HTTP framework: the Javalin server registers
 * {@link #routes()}, the Lambda handlers call {@link #handle(ApiRequest)}. All request handling,
 * validation, error mapping and metrics live here, once.
 *
 * <p>Sessions are presented in the {@value #SESSION_HEADER} header. Errors are JSON {@code
 * {"error": code, "message": text, "field": name}}; 503s carry {@code Retry-After}.
 */
public final class TradingApi {

  public static final String SESSION_HEADER = "X-Session-Id";

  /** Request bodies above this size are refused with 413. */
  public static final int MAX_BODY_BYTES = 64 * 1024;

  static final Duration DEFAULT_SESSION_TTL = Duration.ofHours(8);
  static final Duration MIN_SESSION_TTL = Duration.ofMinutes(1);
  static final Duration MAX_SESSION_TTL = Duration.ofHours(24);
  static final int DEFAULT_PAGE = 50;
  static final int MAX_PAGE = 100;

  private static final Logger LOG = LoggerFactory.getLogger(TradingApi.class);
  private static final Duration RETRY_DATABASE = Duration.ofSeconds(2);
  private static final Duration RETRY_READ_ONLY = Duration.ofSeconds(5);

  private final RegionId region;
  private final OrderService orders;
  private final DynamoDbSessionStore sessions;
  private final ReadinessCheck readiness;
  private final ServiceMetrics metrics;
  private final List<Route> routes;

  public TradingApi(
      RegionId region,
      OrderService orders,
      DynamoDbSessionStore sessions,
      ReadinessCheck readiness,
      ServiceMetrics metrics) {
    this.region = region;
    this.orders = orders;
    this.sessions = sessions;
    this.readiness = readiness;
    this.metrics = metrics;
    this.routes =
        List.of(
            new Route("GET", "/health", this::health),
            new Route("GET", "/health/ready", this::ready),
            new Route("GET", "/metrics", this::metricsText),
            new Route("POST", "/sessions", this::createSession),
            new Route("DELETE", "/sessions/{sessionId}", this::deleteSession),
            new Route("POST", "/orders", this::placeOrder),
            new Route("GET", "/orders", this::listOrders),
            new Route("GET", "/orders/{orderId}", this::getOrder),
            new Route("POST", "/orders/{orderId}/cancel", this::cancelOrder));
  }

  /** The route table, for HTTP servers that route by themselves. */
  public List<Route> routes() {
    return routes;
  }

  /** Routes {@code request} by method and path, then {@link #dispatch}es it. */
  public ApiResponse handle(ApiRequest request) {
    List<String> allowed = new ArrayList<>();
    for (Route route : routes) {
      Optional<Map<String, String>> params = route.match(request.path());
      if (params.isPresent()) {
        if (route.method().equals(request.method())) {
          return dispatch(route, request.withPathParams(params.get()));
        }
        allowed.add(route.method());
      }
    }
    Route unmatched =
        new Route(
            request.method(),
            "(unmatched)",
            r -> {
              if (allowed.isEmpty()) {
                throw ApiException.notFound("no resource at " + truncate(r.path()));
              }
              throw new ApiException(
                  405,
                  "method_not_allowed",
                  null,
                  r.method() + " is not allowed here; allowed: " + String.join(", ", allowed),
                  null);
            },
            "unmatched");
    ApiResponse response = dispatch(unmatched, request);
    return allowed.isEmpty() ? response : response.withHeader("Allow", String.join(", ", allowed));
  }

  /**
   * Runs {@code route}'s handler on a request whose path parameters are filled, turning every
   * failure into a JSON error response and recording metrics. Never throws.
   */
  public ApiResponse dispatch(Route route, ApiRequest request) {
    long started = System.nanoTime();
    ApiResponse response;
    try {
      response = route.handler().handle(request);
    } catch (ApiException e) {
      response = error(route, e);
    } catch (WriteRefusedException e) {
      metrics.recordWriteRefused(guardName(e.getMessage()));
      response =
          error(
              route,
              ApiException.unavailable(
                  "write_refused", e.getMessage(), orDefault(e.retryAfter(), RETRY_READ_ONLY)));
    } catch (DatabaseReadOnlyException e) {
      metrics.recordWriteRefused("databaseReadOnly");
      response =
          error(
              route,
              ApiException.unavailable("database_read_only", e.getMessage(), RETRY_READ_ONLY));
    } catch (DatabaseUnavailableException e) {
      response =
          error(
              route,
              ApiException.unavailable("database_unavailable", e.getMessage(), RETRY_DATABASE));
    } catch (SessionStoreUnavailableException e) {
      response =
          error(
              route,
              ApiException.unavailable(
                  "session_store_unavailable", e.getMessage(), RETRY_DATABASE));
    } catch (UnreachableException e) {
      metrics.recordWriteRefused("writeFenceUnreachable");
      response =
          error(
              route,
              ApiException.unavailable(
                  "write_fence_unreachable",
                  "the write fence cannot confirm this region may write: " + e.getMessage(),
                  RETRY_DATABASE));
    } catch (RuntimeException e) {
      LOG.error("unexpected failure in {} for {}", route.name(), request, e);
      response =
          error(
              route,
              new ApiException(
                  500, "internal_error", null, "unexpected error; see the service log", null));
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
    metrics.recordRequest(request.method(), route.name(), response.status(), elapsed);
    return response;
  }

  private ApiResponse error(Route route, ApiException e) {
    metrics.recordError(route.name(), e.status(), e.code());
    if (e.status() >= 500) {
      LOG.warn("{} answered {} {}: {}", route.name(), e.status(), e.code(), e.getMessage());
    }
    return e.toResponse();
  }

  private static String guardName(String message) {
    if (message == null) {
      return "unknown";
    }
    int colon = message.indexOf(':');
    String name = colon > 0 ? message.substring(0, colon) : "unknown";
    return name.matches("[A-Za-z]{1,40}") ? name : "unknown";
  }

  private static Duration orDefault(Duration value, Duration fallback) {
    return value == null ? fallback : value;
  }

  // --- health and metrics ---

  private ApiResponse health(ApiRequest request) {
    return ApiResponse.json(200, Map.of("status", "UP", "region", region.value()));
  }

  private ApiResponse ready(ApiRequest request) {
    Map<String, Object> report = readiness.check();
    return ApiResponse.json("READY".equals(report.get("status")) ? 200 : 503, report);
  }

  private ApiResponse metricsText(ApiRequest request) {
    return metrics
        .scrape()
        .map(text -> ApiResponse.text(200, "text/plain; version=0.0.4; charset=utf-8", text))
        .orElseThrow(() -> ApiException.notFound("metrics are not exported by this runtime"));
  }

  // --- sessions ---

  private ApiResponse createSession(ApiRequest request) {
    JsonNode json = jsonBody(request);
    rejectUnknownFields(json, Set.of("accountId", "ttlSeconds"));
    JsonNode account = json.get("accountId");
    if (account == null || account.isNull()) {
      throw ApiException.badRequest("missing_field", "accountId", "accountId is required");
    }
    if (!account.isTextual()
        || !OrderRequestParser.ACCOUNT_ID.matcher(account.textValue()).matches()) {
      throw ApiException.invalid(
          "accountId", "accountId must be a string of 1-64 letters, digits, '.', '_' or '-'");
    }
    Duration ttl = DEFAULT_SESSION_TTL;
    JsonNode ttlNode = json.get("ttlSeconds");
    if (ttlNode != null && !ttlNode.isNull()) {
      if (!ttlNode.isIntegralNumber()
          || !ttlNode.canConvertToLong()
          || ttlNode.longValue() < MIN_SESSION_TTL.toSeconds()
          || ttlNode.longValue() > MAX_SESSION_TTL.toSeconds()) {
        throw ApiException.invalid(
            "ttlSeconds",
            "ttlSeconds must be an integer from "
                + MIN_SESSION_TTL.toSeconds()
                + " to "
                + MAX_SESSION_TTL.toSeconds());
      }
      ttl = Duration.ofSeconds(ttlNode.longValue());
    }
    Session session = sessions.create(account.textValue(), ttl);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("sessionId", session.sessionId());
    body.put("accountId", session.accountId());
    body.put("expiresAt", session.expiresAt().toString());
    return ApiResponse.json(201, body);
  }

  private ApiResponse deleteSession(ApiRequest request) {
    sessions.delete(request.pathParam("sessionId"));
    return ApiResponse.noContent();
  }

  /** The caller's session, or 401. */
  private Session session(ApiRequest request) {
    String id =
        request
            .header(SESSION_HEADER)
            .filter(v -> !v.isBlank())
            .orElseThrow(
                () ->
                    new ApiException(
                        401,
                        "session_required",
                        SESSION_HEADER,
                        "send the session id from POST /sessions in the "
                            + SESSION_HEADER
                            + " header",
                        null));
    return sessions
        .find(id.trim())
        .orElseThrow(
            () ->
                new ApiException(
                    401,
                    "session_invalid",
                    SESSION_HEADER,
                    "the session is unknown or expired: create one with POST /sessions",
                    null));
  }

  private static void requireAccount(Session session, String accountId) {
    if (!session.accountId().equals(accountId)) {
      throw new ApiException(
          403,
          "account_mismatch",
          "accountId",
          "accountId does not match the session's account",
          null);
    }
  }

  // --- orders ---

  private ApiResponse placeOrder(ApiRequest request) {
    requireJsonBody(request);
    OrderRequest order = OrderRequestParser.parse(request.body());
    requireAccount(session(request), order.accountId());
    OrderStore.Stored stored = orders.place(order);
    if (!stored.created() && !stored.order().fingerprint().equals(order.fingerprint())) {
      throw new ApiException(
          409,
          "conflict",
          "clientOrderId",
          "clientOrderId '"
              + order.clientOrderId()
              + "' was already used for a different order ("
              + stored.order().orderId()
              + ")",
          null);
    }
    return ApiResponse.json(stored.created() ? 201 : 200, stored.order().toJson())
        .withHeader("Location", "/orders/" + stored.order().orderId());
  }

  private ApiResponse getOrder(ApiRequest request) {
    Session session = session(request);
    UUID id = orderId(request);
    Order order =
        orders
            .find(id)
            .filter(o -> o.accountId().equals(session.accountId()))
            .orElseThrow(
                () -> ApiException.notFound("no order " + id + " for this session's account"));
    return ApiResponse.json(200, order.toJson());
  }

  private ApiResponse listOrders(ApiRequest request) {
    for (String name : request.query().keySet()) {
      if (!Set.of("accountId", "limit", "cursor").contains(name)) {
        throw ApiException.badRequest(
            "unknown_field",
            name,
            "unknown query parameter '" + truncate(name) + "'; allowed: accountId, limit, cursor");
      }
    }
    String accountId =
        request
            .queryParam("accountId")
            .orElseThrow(
                () ->
                    ApiException.badRequest("missing_field", "accountId", "accountId is required"));
    requireAccount(session(request), accountId);
    int limit = DEFAULT_PAGE;
    Optional<String> limitText = request.queryParam("limit");
    if (limitText.isPresent()) {
      try {
        limit = Integer.parseInt(limitText.get());
      } catch (NumberFormatException e) {
        limit = -1;
      }
      if (limit < 1 || limit > MAX_PAGE) {
        throw ApiException.invalid("limit", "limit must be an integer from 1 to " + MAX_PAGE);
      }
    }
    OrderPage page = orders.list(accountId, limit, request.queryParam("cursor"));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("orders", page.orders().stream().map(Order::toJson).toList());
    body.put("nextCursor", page.nextCursor().orElse(null));
    return ApiResponse.json(200, body);
  }

  private ApiResponse cancelOrder(ApiRequest request) {
    if (request.body().length > 0) {
      throw ApiException.badRequest("invalid_json", null, "cancel takes no request body");
    }
    Session session = session(request);
    UUID id = orderId(request);
    Order order =
        orders
            .cancel(id, session.accountId())
            .orElseThrow(
                () -> ApiException.notFound("no order " + id + " for this session's account"));
    return ApiResponse.json(200, order.toJson());
  }

  private static UUID orderId(ApiRequest request) {
    String text = request.pathParam("orderId");
    try {
      if (text.length() == 36) {
        return UUID.fromString(text);
      }
    } catch (IllegalArgumentException e) {
      // answered below
    }
    throw ApiException.invalid("orderId", "orderId must be a UUID, was '" + truncate(text) + "'");
  }

  // --- request bodies ---

  private static JsonNode jsonBody(ApiRequest request) {
    requireJsonBody(request);
    return Json.readObject(request.body());
  }

  /** 413 above {@link #MAX_BODY_BYTES}, 415 unless the body is declared application/json. */
  static void requireJsonBody(ApiRequest request) {
    if (request.body().length > MAX_BODY_BYTES) {
      throw new ApiException(
          413,
          "payload_too_large",
          null,
          "request body is larger than " + MAX_BODY_BYTES + " bytes",
          null);
    }
    String contentType = request.header("Content-Type").orElse("");
    String[] parts = contentType.split(";");
    boolean json = parts[0].trim().toLowerCase(Locale.ROOT).equals("application/json");
    for (int i = 1; i < parts.length && json; i++) {
      String param = parts[i].trim().toLowerCase(Locale.ROOT).replace("\"", "");
      if (param.startsWith("charset=") && !param.equals("charset=utf-8")) {
        json = false;
      }
    }
    if (!json) {
      throw new ApiException(
          415,
          "unsupported_media_type",
          "Content-Type",
          "Content-Type must be application/json (UTF-8), was '" + truncate(contentType) + "'",
          null);
    }
  }

  private static void rejectUnknownFields(JsonNode json, Set<String> allowed) {
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!allowed.contains(name)) {
        throw ApiException.badRequest(
            "unknown_field",
            name,
            "unknown field '"
                + truncate(name)
                + "'; allowed fields: "
                + String.join(", ", allowed.stream().sorted().toList()));
      }
    }
  }

  private static String truncate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
