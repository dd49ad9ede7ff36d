package io.tradingdr.lambda;

import io.tradingdr.service.api.ApiRequest;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/** Shared translation of proxy-style events (API Gateway REST, ALB) into {@link ApiRequest}s. */
final class EventMapping {

  private EventMapping() {}

  static ApiRequest request(
      String method,
      String path,
      Map<String, String> headers,
      Map<String, List<String>> multiHeaders,
      Map<String, String> query,
      Map<String, List<String>> multiQuery,
      String body,
      boolean base64,
      UnaryOperator<String> decodeQuery) {
    Map<String, String> allHeaders = new HashMap<>();
    if (multiHeaders != null) {
      multiHeaders.forEach(
          (name, values) -> {
            if (values != null && !values.isEmpty()) {
              allHeaders.put(name, values.get(0));
            }
          });
    }
    if (headers != null) {
      allHeaders.putAll(headers);
    }
    Map<String, List<String>> allQuery = new LinkedHashMap<>();
    if (multiQuery != null) {
      multiQuery.forEach(
          (name, values) ->
              allQuery.put(
                  decodeQuery.apply(name),
                  values == null ? List.of() : values.stream().map(decodeQuery).toList()));
    } else if (query != null) {
      query.forEach(
          (name, value) ->
              allQuery.put(decodeQuery.apply(name), List.of(decodeQuery.apply(value))));
    }
    byte[] bytes =
        body == null
            ? new byte[0]
            : base64 ? Base64.getDecoder().decode(body) : body.getBytes(StandardCharsets.UTF_8);
    return new ApiRequest(
        method == null ? "GET" : method,
        path == null ? "/" : path,
        Map.of(),
        allQuery,
        allHeaders,
        bytes);
  }

  /** ALB passes query strings exactly as the client sent them, percent-encoded. */
  static String urlDecode(String value) {
    try {
      return URLDecoder.decode(value, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return value;
    }
  }
}
