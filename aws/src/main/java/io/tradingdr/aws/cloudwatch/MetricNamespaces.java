package io.tradingdr.aws.cloudwatch;

/** The rule CloudWatch applies to custom metric namespaces, checked before any call is made. */
public final class MetricNamespaces {

  private MetricNamespaces() {}

  /**
   * Returns {@code namespace} when CloudWatch accepts it for custom metrics: 1-255 characters, not
   * blank, not in the reserved {@code AWS/} space; otherwise an {@link IllegalArgumentException}
   * naming {@code setting}.
   */
  public static String requireCustom(String setting, String namespace) {
    if (namespace == null
        || namespace.isBlank()
        || namespace.startsWith("AWS/")
        || namespace.length() > 255) {
      throw new IllegalArgumentException(
          setting + " '" + namespace + "' is invalid: 1-255 characters, not starting with AWS/");
    }
    return namespace;
  }
}
