package io.tradingdr.aws.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.tradingdr.aws.common.AwsClientSettings;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * A local HTTP server on 127.0.0.1 that plays AWS for SDK clients whose endpoint points at it: it
 * records every request and answers with canned responses per operation (the query {@code Action},
 * the JSON {@code X-Amz-Target} operation, or {@code METHOD /path} for REST services).
 */
public final class AwsStub implements AutoCloseable {

  /** One request as the SDK sent it. */
  public record Request(
      String operation,
      String method,
      String path,
      String query,
      Map<String, String> headers,
      String body,
      Map<String, String> params) {

    public String param(String name) {
      return params.get(name);
    }
  }

  /** A canned answer; {@code delay} holds the answer back (timeouts). */
  public record Response(int status, String contentType, String body, Duration delay) {

    public static Response xml(String body) {
      return new Response(200, "text/xml", body, Duration.ZERO);
    }

    public static Response json(String body) {
      return new Response(200, "application/x-amz-json-1.0", body, Duration.ZERO);
    }

    /** An AWS query/REST-XML error document. */
    public static Response xmlError(int status, String code, String message) {
      return new Response(
          status,
          "text/xml",
          "<ErrorResponse><Error><Type>Sender</Type><Code>"
              + code
              + "</Code><Message>"
              + message
              + "</Message></Error><RequestId>req-1</RequestId></ErrorResponse>",
          Duration.ZERO);
    }

    public static Response jsonError(int status, String type, String message) {
      return new Response(
          status,
          "application/x-amz-json-1.0",
          "{\"__type\":\"" + type + "\",\"message\":\"" + message + "\"}",
          Duration.ZERO);
    }

    public Response delayedBy(Duration d) {
      return new Response(status, contentType, body, d);
    }
  }

  private final HttpServer server;
  private final List<Request> requests = new CopyOnWriteArrayList<>();
  private final Map<String, Deque<Response>> scripts = new HashMap<>();

  private AwsStub(HttpServer server) {
    this.server = server;
  }

  public static AwsStub start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    AwsStub stub = new AwsStub(server);
    server.createContext("/", stub::handle);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
    return stub;
  }

  public URI endpoint() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
  }

  /** Client settings for {@code region} pointing at this stub, with fast retries for tests. */
  public AwsClientSettings settings(String region) {
    return AwsClientSettings.builder(region)
        .endpointOverride(endpoint())
        .credentials(StaticCredentialsProvider.create(AwsBasicCredentials.create("dummy", "dummy")))
        .maxAttempts(3)
        .baseDelay(Duration.ofMillis(5))
        .maxBackoff(Duration.ofMillis(20))
        .apiCallAttemptTimeout(Duration.ofSeconds(2))
        .apiCallTimeout(Duration.ofSeconds(10))
        .build();
  }

  /**
   * Answers {@code operation} with {@code responses} in turn; the last one keeps answering.
   * Replaces what was scripted for it before.
   */
  public synchronized AwsStub on(String operation, Response... responses) {
    scripts.put(operation, new ArrayDeque<>(List.of(responses)));
    return this;
  }

  public List<Request> requests() {
    return List.copyOf(requests);
  }

  public List<Request> requests(String operation) {
    return requests.stream().filter(r -> r.operation().equals(operation)).toList();
  }

  public List<String> operations() {
    return requests.stream().map(Request::operation).toList();
  }

  public void clear() {
    requests.clear();
  }

  private void handle(HttpExchange exchange) throws IOException {
    byte[] raw = exchange.getRequestBody().readAllBytes();
    Map<String, String> headers = new LinkedHashMap<>();
    exchange
        .getRequestHeaders()
        .forEach((k, v) -> headers.put(k.toLowerCase(), String.join(",", v)));
    String body = new String(decode(raw, headers.get("content-encoding")), StandardCharsets.UTF_8);
    Map<String, String> params = new LinkedHashMap<>();
    if (headers.getOrDefault("content-type", "").startsWith("application/x-www-form-urlencoded")) {
      for (String pair : body.split("&")) {
        int eq = pair.indexOf('=');
        if (eq > 0) {
          params.put(
              URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
              URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
    }
    String path = exchange.getRequestURI().getPath();
    String operation;
    if (params.containsKey("Action")) {
      operation = params.get("Action");
    } else if (headers.containsKey("x-amz-target")) {
      String target = headers.get("x-amz-target");
      operation = target.substring(target.indexOf('.') + 1);
    } else {
      operation = exchange.getRequestMethod() + " " + path.replaceAll("/2013-04-01/", "/");
    }
    Request request =
        new Request(
            operation,
            exchange.getRequestMethod(),
            path,
            exchange.getRequestURI().getRawQuery(),
            headers,
            body,
            params);
    requests.add(request);
    Response response = next(operation);
    try {
      if (!response.delay().isZero()) {
        Thread.sleep(response.delay());
      }
      byte[] out = response.body().getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().add("Content-Type", response.contentType());
      exchange.getResponseHeaders().add("x-amzn-RequestId", "req-1");
      exchange.sendResponseHeaders(response.status(), out.length == 0 ? -1 : out.length);
      try (OutputStream os = exchange.getResponseBody()) {
        os.write(out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientGaveUp) {
      // The client timed out and closed the connection: expected in timeout tests.
    } finally {
      exchange.close();
    }
  }

  private synchronized Response next(String operation) {
    Deque<Response> script = scripts.get(operation);
    if (script == null || script.isEmpty()) {
      return Response.xmlError(
          400, "UnscriptedOperation", "the stub has no answer for " + operation);
    }
    return script.size() > 1 ? script.poll() : script.peek();
  }

  private static byte[] decode(byte[] raw, String encoding) throws IOException {
    if (encoding != null && encoding.contains("gzip")) {
      try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(raw))) {
        return in.readAllBytes();
      }
    }
    return raw;
  }

  /** Form parameters whose names start with {@code prefix}, in request order. */
  public static List<String> paramsStartingWith(Request request, String prefix) {
    List<String> names = new ArrayList<>();
    request
        .params()
        .forEach(
            (k, v) -> {
              if (k.startsWith(prefix)) {
                names.add(k + "=" + v);
              }
            });
    return names;
  }

  @Override
  public void close() {
    server.stop(0);
    ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
  }
}
