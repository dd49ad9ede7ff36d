package io.tradingdr.lambda;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.SQSBatchResponse;
import com.amazonaws.services.lambda.runtime.events.SQSEvent;
import io.tradingdr.service.api.ApiRequest;
import io.tradingdr.service.api.ApiResponse;
import io.tradingdr.service.api.TradingApi;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Processes queued orders: each message body is a POST /orders body, the session id travels in the
 * message attribute {@value #SESSION_ATTRIBUTE}. Each message goes through the same request
 * handling as HTTP, so a redelivered message is idempotent on its clientOrderId (200, same order).
 *
 * <p>Reports partial batch failures (the event source mapping needs {@code
 * ReportBatchItemFailures}): a message whose order was not stored (any non-2xx answer: refused by
 * the write fence, database unavailable, invalid) is returned for redelivery; after the queue's
 * maxReceiveCount an invalid one lands in the dead-letter queue, never dropped silently.
 */
public final class SqsOrderHandler implements RequestHandler<SQSEvent, SQSBatchResponse> {

  public static final String SESSION_ATTRIBUTE = "sessionId";

  private static final Logger LOG = LoggerFactory.getLogger(SqsOrderHandler.class);

  private final TradingApi api;

  /** Reads the TDR_* environment and builds the pool and clients once per environment. */
  public SqsOrderHandler() {
    this(LambdaRuntime.api());
  }

  public SqsOrderHandler(TradingApi api) {
    this.api = api;
  }

  @Override
  public SQSBatchResponse handleRequest(SQSEvent event, Context context) {
    List<SQSBatchResponse.BatchItemFailure> failures = new ArrayList<>();
    List<SQSEvent.SQSMessage> records = event.getRecords() == null ? List.of() : event.getRecords();
    for (SQSEvent.SQSMessage message : records) {
      ApiResponse response = api.handle(toRequest(message));
      if (response.status() / 100 != 2) {
        LOG.warn(
            "queued order {} not stored: {} {}",
            message.getMessageId(),
            response.status(),
            response.bodyText());
        failures.add(new SQSBatchResponse.BatchItemFailure(message.getMessageId()));
      }
    }
    return new SQSBatchResponse(failures);
  }

  private static ApiRequest toRequest(SQSEvent.SQSMessage message) {
    String session = "";
    Map<String, SQSEvent.MessageAttribute> attributes = message.getMessageAttributes();
    if (attributes != null && attributes.get(SESSION_ATTRIBUTE) != null) {
      String value = attributes.get(SESSION_ATTRIBUTE).getStringValue();
      session = value == null ? "" : value;
    }
    String body = message.getBody() == null ? "" : message.getBody();
    return new ApiRequest(
        "POST",
        "/orders",
        Map.of(),
        Map.of(),
        Map.of("Content-Type", "application/json", TradingApi.SESSION_HEADER, session),
        body.getBytes(StandardCharsets.UTF_8));
  }
}
