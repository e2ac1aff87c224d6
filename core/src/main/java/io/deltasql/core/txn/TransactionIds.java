package io.deltasql.core.txn;

import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.UUID;

/**
 * New transaction ids: random (version 4) UUIDs, as {@link UUID#randomUUID()} makes them,
 * but each thread draws from a generator of its own. {@code UUID.randomUUID()} shares one
 * {@link SecureRandom} whose native generator reads the system's entropy under a lock of the
 * whole JVM: with many committing threads on few cores they queue on it (the JFR profile of
 * eight writers on PostgreSQL, 2026-12-03). The ids are as unique as before, 122 bits from a
 * cryptographic generator ({@code DRBG}, seeded by the JDK from the system's entropy), which
 * matters: a transaction id that another commit already recorded is taken as this one's.
 */
final class TransactionIds {
  private static final ThreadLocal<SecureRandom> GENERATORS = ThreadLocal.withInitial(TransactionIds::generator);

  private TransactionIds() {}

  /** A new random transaction id. */
  static UUID next() {
    byte[] bytes = new byte[16];
    GENERATORS.get().nextBytes(bytes);
    bytes[6] = (byte) ((bytes[6] & 0x0f) | 0x40); // version 4
    bytes[8] = (byte) ((bytes[8] & 0x3f) | 0x80); // IETF variant
    long most = 0;
    long least = 0;
    for (int i = 0; i < 8; i++) {
      most = (most << 8) | (bytes[i] & 0xff);
      least = (least << 8) | (bytes[8 + i] & 0xff);
    }
    return new UUID(most, least);
  }

  private static SecureRandom generator() {
    try {
      return SecureRandom.getInstance("DRBG");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("this JDK has no DRBG SecureRandom (every JDK since 9 has one)", e);
    }
  }
}
