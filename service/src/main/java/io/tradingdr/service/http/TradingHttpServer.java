package io.tradingdr.service.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.tradingdr.service.api.ApiRequest;
import io.tradingdr.service.api.ApiResponse;
import io.tradingdr.service.api.Route;
import io.tradingdr.service.api.TradingApi;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The HTTP server: Javalin (Jetty 12) serving the {@link TradingApi} route table. Javalin was
 * chosen because it is a small, well-kept embedded framework with no DI container that starts in
 * about 100 ms; all request handling stays in {@link TradingApi} so the Lambda handlers share it.
 */
public final class TradingHttpServer implements AutoCloseable {

  private final Javalin app;

  private TradingHttpServer(Javalin app) {
    this.app = app;
  }

  /** Starts serving {@code api} on {@code host:port} (port 0: any free port). */
  public static TradingHttpServer start(TradingApi api, String host, int port) {
    Javalin app =
        Javalin.create(
            config -> {
              config.startup.showJavalinBanner = false;
              config.startup.showOldJavalinVersionWarning = false;
              for (Route route : api.routes()) {
                config.routes.addHttpHandler(
                    HandlerType.findOrCreate(route.method()),
                    route.template(),
                    ctx -> write(ctx, api.dispatch(route, toRequest(ctx, ctx.pathParamMap()))));
              }
              // Anything else: the API's own routing answers 404/405 in JSON.
              for (String method : List.of("GET", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")) {
                config.routes.addHttpHandler(
                    HandlerType.findOrCreate(method),
                    "/<path>",
                    ctx -> write(ctx, api.handle(toRequest(ctx, Map.of()))));
              }
            });
    app.start(host, port);
    return new TradingHttpServer(app);
  }

  static ApiRequest toRequest(Context ctx, Map<String, String> pathParams) throws IOException {
    byte[] body;
    // Read one byte past the limit: enough to answer 413 without buffering a huge body.
    try (InputStream in = ctx.req().getInputStream()) {
      body = in.readNBytes(TradingApi.MAX_BODY_BYTES + 1);
    }
    return new ApiRequest(
        ctx.method().name(), ctx.path(), pathParams, ctx.queryParamMap(), ctx.headerMap(), body);
  }

  static void write(Context ctx, ApiResponse response) {
    ctx.status(response.status());
    response.headers().forEach(ctx::header);
    if (response.body().length > 0) {
      ctx.result(response.body());
    }
  }

  public int port() {
    return app.port();
  }

  @Override
  public void close() {
    app.stop();
  }
}
