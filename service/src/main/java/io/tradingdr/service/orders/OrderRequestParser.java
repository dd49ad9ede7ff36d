package io.tradingdr.service.orders;

import com.fasterxml.jackson.databind.JsonNode;
import io.tradingdr.service.api.ApiException;
import io.tradingdr.service.api.Json;
import java.math.BigDecimal;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Turns a POST /orders body into an {@link OrderRequest} or a 400 that names the offending field.
 * Strict: unknown fields, wrong JSON types and out-of-range values are refused, never coerced.
 */
public final class OrderRequestParser {

  /**
   * Largest accepted quantity: bounds a fat-finger order and keeps the column far from overflow.
   */
  public static final long MAX_QUANTITY = 1_000_000L;

  /** Largest accepted limit price (numeric(18,4) holds 14 digits before the point). */
  public static final BigDecimal MAX_LIMIT_PRICE = new BigDecimal("1000000000");

  public static final int MAX_PRICE_DECIMALS = 4;

  static final Pattern CLIENT_ORDER_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
  public static final Pattern ACCOUNT_ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  static final Pattern SYMBOL = Pattern.compile("[A-Z][A-Z0-9.]{0,11}");

  private static final Set<String> FIELDS =
      Set.of("clientOrderId", "accountId", "symbol", "side", "type", "quantity", "limitPrice");

  private OrderRequestParser() {}

  public static OrderRequest parse(byte[] body) {
    JsonNode json = Json.readObject(body);
    for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!FIELDS.contains(name)) {
        throw ApiException.badRequest(
            "unknown_field",
            name,
            "unknown field '"
                + truncate(name)
                + "'; allowed fields: "
                + String.join(", ", sorted()));
      }
    }
    String clientOrderId =
        text(json, "clientOrderId", CLIENT_ORDER_ID, "1-64 letters, digits, '.', '_', ':' or '-'");
    String accountId = text(json, "accountId", ACCOUNT_ID, "1-64 letters, digits, '.', '_' or '-'");
    String symbol =
        text(json, "symbol", SYMBOL, "an upper-case ticker of 1-12 letters, digits or '.'");
    Side side = enumValue(json, "side", Side.class);
    OrderType type = enumValue(json, "type", OrderType.class);
    long quantity = quantity(json);
    Optional<BigDecimal> limitPrice = limitPrice(json, type);
    return new OrderRequest(clientOrderId, accountId, symbol, side, type, quantity, limitPrice);
  }

  private static java.util.List<String> sorted() {
    return FIELDS.stream().sorted().toList();
  }

  static JsonNode required(JsonNode json, String field) {
    JsonNode node = json.get(field);
    if (node == null || node.isNull()) {
      throw ApiException.badRequest("missing_field", field, field + " is required");
    }
    return node;
  }

  static String text(JsonNode json, String field, Pattern allowed, String allowedText) {
    JsonNode node = required(json, field);
    if (!node.isTextual()) {
      throw ApiException.invalid(
          field, field + " must be a string of " + allowedText + ", was " + type(node));
    }
    if (!allowed.matcher(node.textValue()).matches()) {
      throw ApiException.invalid(
          field, field + " must be " + allowedText + ", was '" + truncate(node.textValue()) + "'");
    }
    return node.textValue();
  }

  private static <E extends Enum<E>> E enumValue(JsonNode json, String field, Class<E> type) {
    JsonNode node = required(json, field);
    String allowed =
        String.join(
            " or ", java.util.Arrays.stream(type.getEnumConstants()).map(Enum::name).toList());
    if (!node.isTextual()) {
      throw ApiException.invalid(field, field + " must be " + allowed + ", was " + type(node));
    }
    for (E value : type.getEnumConstants()) {
      if (value.name().equals(node.textValue())) {
        return value;
      }
    }
    throw ApiException.invalid(
        field, field + " must be " + allowed + ", was '" + truncate(node.textValue()) + "'");
  }

  private static long quantity(JsonNode json) {
    JsonNode node = required(json, "quantity");
    String rule = "quantity must be an integer from 1 to " + MAX_QUANTITY;
    if (!node.isIntegralNumber()) {
      throw ApiException.invalid("quantity", rule + ", was " + type(node));
    }
    if (!node.canConvertToLong() || node.longValue() < 1 || node.longValue() > MAX_QUANTITY) {
      throw ApiException.invalid("quantity", rule + ", was " + truncate(node.asText()));
    }
    return node.longValue();
  }

  private static Optional<BigDecimal> limitPrice(JsonNode json, OrderType type) {
    JsonNode node = json.get("limitPrice");
    boolean absent = node == null || node.isNull();
    if (type == OrderType.MARKET) {
      if (!absent) {
        throw ApiException.invalid("limitPrice", "limitPrice must be absent for a MARKET order");
      }
      return Optional.empty();
    }
    if (absent) {
      throw ApiException.badRequest(
          "missing_field", "limitPrice", "limitPrice is required for a LIMIT order");
    }
    String rule =
        "limitPrice must be a number greater than 0 and at most "
            + MAX_LIMIT_PRICE.toPlainString()
            + " with at most "
            + MAX_PRICE_DECIMALS
            + " decimal places";
    if (!node.isNumber()) {
      throw ApiException.invalid("limitPrice", rule + ", was " + type(node));
    }
    BigDecimal price = node.decimalValue();
    if (price.signum() <= 0
        || price.compareTo(MAX_LIMIT_PRICE) > 0
        || Math.max(0, price.stripTrailingZeros().scale()) > MAX_PRICE_DECIMALS) {
      throw ApiException.invalid("limitPrice", rule + ", was " + truncate(price.toString()));
    }
    return Optional.of(price.setScale(MAX_PRICE_DECIMALS));
  }

  static String type(JsonNode node) {
    return "a JSON " + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  static String truncate(String text) {
    return text.length() > 40 ? text.substring(0, 40) + "..." : text;
  }
}
