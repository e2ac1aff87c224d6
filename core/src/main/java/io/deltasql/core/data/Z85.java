package io.deltasql.core.data;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.UUID;

/**
 * Z85, the Base85 variant Delta uses for deletion vectors (PROTOCOL.md, "Deletion Vector
 * Descriptor Schema"): every 4 bytes, read as a big-endian number, become 5 characters. Input
 * whose length is not a multiple of 4 is padded with zero bytes; a decoder is told how many
 * bytes to keep.
 */
final class Z85 {
  private static final String ALPHABET =
      "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ.-:+=^!/*?&<>()[]{}@%$#";
  private static final byte[] DECODE = new byte[128];
  /** Characters of an encoded UUID. */
  static final int UUID_LENGTH = 20;

  static {
    Arrays.fill(DECODE, (byte) -1);
    for (int i = 0; i < ALPHABET.length(); i++) {
      DECODE[ALPHABET.charAt(i)] = (byte) i;
    }
  }

  private Z85() {}

  /** Encodes {@code data}, padded with zero bytes to a multiple of 4. */
  static String encode(byte[] data) {
    int blocks = (data.length + 3) / 4;
    byte[] padded = Arrays.copyOf(data, blocks * 4);
    StringBuilder out = new StringBuilder(blocks * 5);
    char[] block = new char[5];
    for (int b = 0; b < blocks; b++) {
      long value = ByteBuffer.wrap(padded, b * 4, 4).getInt() & 0xFFFFFFFFL;
      for (int i = 4; i >= 0; i--) {
        block[i] = ALPHABET.charAt((int) (value % 85));
        value /= 85;
      }
      out.append(block);
    }
    return out.toString();
  }

  /**
   * Decodes {@code text} and keeps the first {@code length} bytes.
   *
   * @throws IllegalArgumentException if {@code text} is not Z85 or too short for
   *     {@code length} bytes
   */
  static byte[] decode(String text, int length) {
    if (text.length() % 5 != 0) {
      throw new IllegalArgumentException("Z85 text has " + text.length()
          + " characters, not a multiple of 5");
    }
    int blocks = text.length() / 5;
    if (length < 0 || length > blocks * 4) {
      throw new IllegalArgumentException("Z85 text of " + text.length()
          + " characters cannot hold " + length + " bytes");
    }
    ByteBuffer out = ByteBuffer.allocate(blocks * 4);
    for (int b = 0; b < blocks; b++) {
      long value = 0;
      for (int i = 0; i < 5; i++) {
        char c = text.charAt(b * 5 + i);
        int digit = c < 128 ? DECODE[c] : -1;
        if (digit < 0) {
          throw new IllegalArgumentException("'" + c + "' is not a Z85 character");
        }
        value = value * 85 + digit;
      }
      if (value > 0xFFFFFFFFL) {
        throw new IllegalArgumentException("Z85 block " + b + " is out of range");
      }
      out.putInt((int) value);
    }
    return Arrays.copyOf(out.array(), length);
  }

  /** The 20 characters of a UUID's 16 bytes. */
  static String encodeUuid(UUID uuid) {
    return encode(ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
        .putLong(uuid.getLeastSignificantBits()).array());
  }

  /** The UUID of 20 Z85 characters. */
  static UUID decodeUuid(String text) {
    if (text.length() != UUID_LENGTH) {
      throw new IllegalArgumentException("an encoded UUID has 20 characters, not " + text.length());
    }
    ByteBuffer bytes = ByteBuffer.wrap(decode(text, 16));
    return new UUID(bytes.getLong(), bytes.getLong());
  }
}
