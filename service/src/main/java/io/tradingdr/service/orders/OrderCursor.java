package io.tradingdr.service.orders;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The opaque form of a page cursor: base64url of a one-letter kind and the store's position. The
 * kind keeps one store's cursor from being read as another's position.
 */
final class OrderCursor {

  /** The SQL stores' position: the last row's seq. */
  static final char SEQ = 's';

  /** DynamoDB's position: the last item's createdKey in the byAccount index. */
  static final char CREATED_KEY = 'k';

  private OrderCursor() {}

  static String encode(char kind, String position) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString((kind + position).getBytes(StandardCharsets.UTF_8));
  }

  /**
   * The position inside a cursor of this kind.
   *
   * @throws InvalidCursorException when it is not one
   */
  static String decode(char kind, String cursor) {
    String raw;
    try {
      raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InvalidCursorException();
    }
    if (raw.length() < 2 || raw.charAt(0) != kind) {
      throw new InvalidCursorException();
    }
    return raw.substring(1);
  }

  static String encodeSeq(long seq) {
    return encode(SEQ, Long.toString(seq));
  }

  /** A positive seq. */
  static long decodeSeq(String cursor) {
    try {
      long seq = Long.parseLong(decode(SEQ, cursor));
      if (seq > 0) {
        return seq;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new InvalidCursorException();
  }
}
