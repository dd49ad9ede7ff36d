package io.tradingdr.service.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * One entry of the route table: method, path template with {@code {name}} segments, handler.
 *
 * @param name a stable label for metrics, e.g. {@code POST /orders/{orderId}/cancel}
 */
public record Route(String method, String template, Handler handler, String name) {

  /** Turns a request into a response; throws {@link ApiException} for error responses. */
  @FunctionalInterface
  public interface Handler {
    ApiResponse handle(ApiRequest request);
  }

  public Route(String method, String template, Handler handler) {
    this(method, template, handler, method + " " + template);
  }

  /** The path parameters when {@code path} fits this template. */
  public Optional<Map<String, String>> match(String path) {
    String[] want = segments(template);
    String[] have = segments(path);
    if (want.length != have.length) {
      return Optional.empty();
    }
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < want.length; i++) {
      if (want[i].startsWith("{") && want[i].endsWith("}")) {
        if (have[i].isEmpty()) {
          return Optional.empty();
        }
        params.put(want[i].substring(1, want[i].length() - 1), have[i]);
      } else if (!want[i].equals(have[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(params);
  }

  private static String[] segments(String path) {
    String trimmed = path.startsWith("/") ? path.substring(1) : path;
    if (trimmed.endsWith("/")) {
      trimmed = trimmed.substring(0, trimmed.length() - 1);
    }
    return trimmed.isEmpty() ? new String[0] : trimmed.split("/", -1);
  }
}
