package io.tradingdr.service.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * A request that ends with an error response. The body is always {@code {"error": code, "message":
 * text, "field": name}} ({@code field} only when one field is at fault).
 */
public class ApiException extends RuntimeException {

  private static final long serialVersionUID = 1L;

  private final int status;
  private final String code;
  private final String field;
  private final transient Duration retryAfter;

  public ApiException(int status, String code, String field, String message, Duration retryAfter) {
    super(message);
    this.status = status;
    this.code = code;
    this.field = field;
    this.retryAfter = retryAfter;
  }

  public static ApiException badRequest(String code, String field, String message) {
    return new ApiException(400, code, field, message, null);
  }

  public static ApiException invalid(String field, String message) {
    return badRequest("invalid_field", field, message);
  }

  public static ApiException notFound(String message) {
    return new ApiException(404, "not_found", null, message, null);
  }

  public static ApiException unavailable(String code, String message, Duration retryAfter) {
    return new ApiException(503, code, null, message, retryAfter);
  }

  public int status() {
    return status;
  }

  public String code() {
    return code;
  }

  public Optional<String> field() {
    return Optional.ofNullable(field);
  }

  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  public ApiResponse toResponse() {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("error", code);
    body.put("message", getMessage());
    if (field != null) {
      body.put("field", field);
    }
    ApiResponse response = ApiResponse.json(status, body);
    if (retryAfter != null) {
      response =
          response.withHeader(
              "Retry-After", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
    }
    return response;
  }
}
