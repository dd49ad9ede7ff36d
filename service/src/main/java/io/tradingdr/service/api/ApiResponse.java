package io.tradingdr.service.api;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/** One response, independent of the transport that carries it. */
public record ApiResponse(int status, Map<String, String> headers, byte[] body) {

  public ApiResponse {
    headers = Map.copyOf(headers);
    body = body == null ? new byte[0] : body;
  }

  public static ApiResponse json(int status, Object value) {
    return new ApiResponse(status, Map.of("Content-Type", "application/json"), Json.write(value));
  }

  public static ApiResponse noContent() {
    return new ApiResponse(204, Map.of(), new byte[0]);
  }

  public static ApiResponse text(int status, String contentType, String text) {
    return new ApiResponse(
        status, Map.of("Content-Type", contentType), text.getBytes(StandardCharsets.UTF_8));
  }

  public ApiResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new ApiResponse(status, more, body);
  }

  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof ApiResponse r
        && status == r.status
        && headers.equals(r.headers)
        && Arrays.equals(body, r.body);
  }

  @Override
  public int hashCode() {
    return Objects.hash(status, headers, Arrays.hashCode(body));
  }

  @Override
  public String toString() {
    return status + " " + bodyText();
  }
}
