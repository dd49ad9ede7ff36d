package io.tradingdr.aws.common;

import io.tradingdr.core.port.ConflictException;
import io.tradingdr.core.port.RefusedException;
import io.tradingdr.core.port.UnreachableException;
import java.util.Locale;
import java.util.Set;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * Translates what the SDK throws, after its own retries, into the ports' vocabulary.
 *
 * <ul>
 *   <li>a conditional check that failed: {@link ConflictException};
 *   <li>access denied and other answers that say "no" (validation, invalid state, not found):
 *       {@link RefusedException} with the service's code and message;
 *   <li>throttling that outlasted the retries, 5xx, timeouts, connection errors: {@link
 *       UnreachableException} (the outcome is unknown).
 * </ul>
 */
public final class AwsErrors {

  private static final Set<String> THROTTLING =
      Set.of(
          "throttling",
          "throttlingexception",
          "throttledexception",
          "requestthrottled",
          "requestthrottledexception",
          "toomanyrequestsexception",
          "provisionedthroughputexceededexception",
          "requestlimitexceeded",
          "limitexceededexception",
          "priorrequestnotcomplete",
          "slowdown",
          "bandwidthlimitexceeded",
          "ec2throttledexception",
          "transactioninprogressexception");

  private static final Set<String> CONFLICT =
      Set.of("conditionalcheckfailedexception", "conditionalcheckfailed");

  private AwsErrors() {}

  /**
   * The port exception for {@code error} raised by {@code operation} (e.g. {@code
   * "rds:FailoverGlobalCluster"}). The message names the operation, the service's error code and
   * its message.
   */
  public static RuntimeException translate(String operation, SdkException error) {
    if (error instanceof AwsServiceException service) {
      String code =
          service.awsErrorDetails() != null ? service.awsErrorDetails().errorCode() : null;
      String message =
          service.awsErrorDetails() != null ? service.awsErrorDetails().errorMessage() : null;
      String text =
          operation
              + " "
              + (code != null ? code : "HTTP " + service.statusCode())
              + (message != null ? ": " + message : "");
      String normalized = code == null ? "" : code.toLowerCase(Locale.ROOT);
      if (CONFLICT.contains(normalized)) {
        return new ConflictException(text, error);
      }
      if (THROTTLING.contains(normalized) || service.isThrottlingException()) {
        return new UnreachableException(text + " (still throttled after retries)", error);
      }
      if (service.statusCode() >= 500) {
        return new UnreachableException(text, error);
      }
      return new RefusedException(text, error);
    }
    return new UnreachableException(operation + " did not answer: " + rootMessage(error), error);
  }

  /** The innermost cause's class and message, e.g. "SocketTimeoutException: Read timed out". */
  public static String rootMessage(Throwable error) {
    Throwable t = error;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String root =
        t.getClass().getSimpleName() + (t.getMessage() != null ? ": " + t.getMessage() : "");
    return t == error ? root : error.getMessage() + " (" + root + ")";
  }
}
