package io.tradingdr.local.dns;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Objects;
import org.xbill.DNS.Name;
import org.xbill.DNS.TSIG;

/**
 * A TSIG key (RFC 8945) that authorises dynamic updates: the same name, algorithm and secret are
 * written into the server's configuration and used by the updating client.
 *
 * @param name key name, e.g. {@code tdr-update.}
 * @param secretBase64 the shared secret, base64
 */
public record TsigKey(String name, String secretBase64) {

  /** The only algorithm we generate and configure: HMAC-SHA256 (knot's name for it). */
  public static final String KNOT_ALGORITHM = "hmac-sha256";

  public TsigKey {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(secretBase64, "secretBase64");
    if (!name.endsWith(".")) {
      throw new IllegalArgumentException("TSIG key name must be absolute (end with '.'): " + name);
    }
    if (Base64.getDecoder().decode(secretBase64).length < 16) {
      throw new IllegalArgumentException("TSIG secret must be at least 16 bytes");
    }
  }

  /** A fresh 256-bit random key. */
  public static TsigKey generate(String name) {
    byte[] secret = new byte[32];
    new SecureRandom().nextBytes(secret);
    return new TsigKey(name, Base64.getEncoder().encodeToString(secret));
  }

  TSIG toTsig() {
    return new TSIG(TSIG.HMAC_SHA256, Name.fromConstantString(name), secretBase64);
  }

  @Override
  public String toString() {
    // The secret never goes to logs.
    return "TsigKey[" + name + " " + KNOT_ALGORITHM + "]";
  }
}
