package io.tradingdr.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerRequestEvent;
import com.amazonaws.services.lambda.runtime.events.ApplicationLoadBalancerResponseEvent;
import io.tradingdr.service.api.ApiResponse;
import io.tradingdr.service.api.TradingApi;

/** An Application Load Balancer Lambda target in front of the trading API. */
public final class AlbHandler
    implements RequestHandler<
        ApplicationLoadBalancerRequestEvent, ApplicationLoadBalancerResponseEvent> {

  private final TradingApi api;

  /** Reads the TDR_* environment and builds the pool and clients once per environment. */
  public AlbHandler() {
    this(LambdaRuntime.api());
  }

  public AlbHandler(TradingApi api) {
    this.api = api;
  }

  @Override
  public ApplicationLoadBalancerResponseEvent handleRequest(
      ApplicationLoadBalancerRequestEvent event, Context context) {
    ApiResponse response =
        api.handle(
            EventMapping.request(
                event.getHttpMethod(),
                event.getPath(),
                event.getHeaders(),
                event.getMultiValueHeaders(),
                event.getQueryStringParameters(),
                event.getMultiValueQueryStringParameters(),
                event.getBody(),
                event.getIsBase64Encoded(),
                EventMapping::urlDecode));
    ApplicationLoadBalancerResponseEvent result = new ApplicationLoadBalancerResponseEvent();
    result.setStatusCode(response.status());
    result.setStatusDescription(response.status() + " " + reason(response.status()));
    result.setHeaders(response.headers());
    result.setBody(response.bodyText());
    result.setIsBase64Encoded(false);
    return result;
  }

  private static String reason(int status) {
    return switch (status) {
      case 200 -> "OK";
      case 201 -> "Created";
      case 204 -> "No Content";
      case 400 -> "Bad Request";
      case 401 -> "Unauthorized";
      case 403 -> "Forbidden";
      case 404 -> "Not Found";
      case 405 -> "Method Not Allowed";
      case 409 -> "Conflict";
      case 413 -> "Payload Too Large";
      case 415 -> "Unsupported Media Type";
      case 503 -> "Service Unavailable";
      default -> status >= 500 ? "Error" : "Status";
    };
  }
}
