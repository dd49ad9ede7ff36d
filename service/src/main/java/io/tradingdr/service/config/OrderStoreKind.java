package io.tradingdr.service.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** Where the service keeps orders: the values of TDR_ORDER_STORE. */
public enum OrderStoreKind {
  /** PostgreSQL / Aurora PostgreSQL at TDR_DB_URL (jdbc:postgresql://). */
  POSTGRESQL("postgresql", "jdbc:postgresql://"),
  /** MySQL 8.0 / Aurora MySQL at TDR_DB_URL (jdbc:mysql://). */
  MYSQL("mysql", "jdbc:mysql://"),
  /** The DynamoDB table TDR_ORDERS_TABLE (a global table in AWS); no TDR_DB_URL. */
  DYNAMODB("dynamodb", null);

  private final String value;
  private final String urlPrefix;

  OrderStoreKind(String value, String urlPrefix) {
    this.value = value;
    this.urlPrefix = urlPrefix;
  }

  /** The name used in TDR_ORDER_STORE. */
  public String value() {
    return value;
  }

  /** The JDBC URL prefix of a SQL store; empty for DynamoDB. */
  public Optional<String> urlPrefix() {
    return Optional.ofNullable(urlPrefix);
  }

  public boolean isSql() {
    return urlPrefix != null;
  }

  /** "postgresql, mysql or dynamodb". */
  public static String allowedValues() {
    String all =
        Arrays.stream(values()).map(OrderStoreKind::value).collect(Collectors.joining(", "));
    int last = all.lastIndexOf(", ");
    return all.substring(0, last) + " or " + all.substring(last + 2);
  }

  /**
   * @throws IllegalArgumentException for anything but the listed values (any case)
   */
  public static OrderStoreKind parse(String text) {
    String wanted = text.trim().toLowerCase(Locale.ROOT);
    return Arrays.stream(values())
        .filter(k -> k.value.equals(wanted))
        .findFirst()
        .orElseThrow(IllegalArgumentException::new);
  }

  /** The SQL store whose URL prefix {@code jdbcUrl} has. */
  public static Optional<OrderStoreKind> ofUrl(String jdbcUrl) {
    return Arrays.stream(values())
        .filter(k -> k.urlPrefix != null && jdbcUrl.startsWith(k.urlPrefix))
        .findFirst();
  }

  @Override
  public String toString() {
    return value;
  }
}
