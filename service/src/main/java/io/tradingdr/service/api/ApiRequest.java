package io.tradingdr.service.api;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One request, independent of where it came from (Javalin, API Gateway, ALB, SQS).
 *
 * @param method upper-case HTTP method
 * @param path the request path without query string, e.g. {@code /orders/123}
 * @param pathParams values of the route template's {@code {name}} segments (filled by routing)
 * @param query query parameters, each with all its values
 * @param headers header names are matched case-insensitively
 * @param body the raw body, empty when there is none
 */
public record ApiRequest(
    String method,
    String path,
    Map<String, String> pathParams,
    Map<String, List<String>> query,
    Map<String, String> headers,
    byte[] body) {

  public ApiRequest {
    method = Objects.requireNonNull(method, "method").toUpperCase(Locale.ROOT);
    path = Objects.requireNonNull(path, "path");
    pathParams = Map.copyOf(pathParams);
    query = Map.copyOf(query);
    TreeMap<String, String> caseInsensitive = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    headers.forEach(
        (name, value) -> {
          if (name != null && value != null) {
            caseInsensitive.put(name, value);
          }
        });
    headers = java.util.Collections.unmodifiableMap(caseInsensitive);
    body = body == null ? new byte[0] : body;
  }

  public static ApiRequest of(String method, String path) {
    return new ApiRequest(method, path, Map.of(), Map.of(), Map.of(), new byte[0]);
  }

  public Optional<String> header(String name) {
    return Optional.ofNullable(headers.get(name));
  }

  public Optional<String> queryParam(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalStateException("route has no path parameter " + name);
    }
    return value;
  }

  public ApiRequest withPathParams(Map<String, String> params) {
    return new ApiRequest(method, path, params, query, headers, body);
  }

  public ApiRequest withHeader(String name, String value) {
    TreeMap<String, String> more = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    more.putAll(headers);
    more.put(name, value);
    return new ApiRequest(method, path, pathParams, query, more, body);
  }

  @Override
  public String toString() {
    return method + " " + path + " (" + body.length + " bytes)";
  }

  /** For logs: the body as text, cut short. */
  public String bodyPreview() {
    String text = new String(body, StandardCharsets.UTF_8);
    return text.length() > 200 ? text.substring(0, 200) + "..." : text;
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiRequest r
        && method.equals(r.method)
        && path.equals(r.path)
        && pathParams.equals(r.pathParams)
        && query.equals(r.query)
        && headers.equals(r.headers)
        && java.util.Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(method, path, pathParams, query, headers, java.util.Arrays.hashCode(body));
  }
}
