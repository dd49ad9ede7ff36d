package io.tradingdr.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyRequestEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayProxyResponseEvent;
import io.tradingdr.service.api.ApiRequest;
import io.tradingdr.service.api.ApiResponse;
import io.tradingdr.service.api.TradingApi;
import java.util.function.UnaryOperator;

/** API Gateway (REST, proxy integration) in front of the trading API. */
public final class ApiGatewayHandler
    implements RequestHandler<APIGatewayProxyRequestEvent, APIGatewayProxyResponseEvent> {

  private final TradingApi api;

  /** Reads the TDR_* environment and builds the pool and clients once per environment. */
  public ApiGatewayHandler() {
    this(LambdaRuntime.api());
  }

  public ApiGatewayHandler(TradingApi api) {
    this.api = api;
  }

  @Override
  public APIGatewayProxyResponseEvent handleRequest(
      APIGatewayProxyRequestEvent event, Context context) {
    // API Gateway decodes query strings itself.
    ApiRequest request =
        EventMapping.request(
            event.getHttpMethod(),
            event.getPath(),
            event.getHeaders(),
            event.getMultiValueHeaders(),
            event.getQueryStringParameters(),
            event.getMultiValueQueryStringParameters(),
            event.getBody(),
            Boolean.TRUE.equals(event.getIsBase64Encoded()),
            UnaryOperator.identity());
    ApiResponse response = api.handle(request);
    return new APIGatewayProxyResponseEvent()
        .withStatusCode(response.status())
        .withHeaders(response.headers())
        .withBody(response.bodyText())
        .withIsBase64Encoded(false);
  }
}
