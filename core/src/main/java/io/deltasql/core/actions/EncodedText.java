package io.deltasql.core.actions;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * UTF-8 text kept as a range of a shared {@link ByteBlock} until it is read: the stats JSON of
 * a file read from a catalog file image, which most readers of a snapshot (a listing, a scan
 * of paths) never look at. {@link #decode()} makes a new string on every call; nothing is kept.
 *
 * @param block the bytes the text is part of
 * @param offset where the text starts in {@code block.bytes()}
 * @param length its length in bytes
 * @param index its position among the texts of the block that a {@link StatsBlock} keeps
 *     typed statistics of, or {@code -1}
 */
public record EncodedText(ByteBlock block, int offset, int length, int index) {
  public EncodedText {
    Objects.requireNonNull(block, "block");
    if (offset < 0 || length < 0 || index < -1) {
      throw new IllegalArgumentException("text at offset " + offset + " of length " + length + ", index " + index);
    }
  }

  /** A text of a block that keeps nothing else about it. */
  public EncodedText(ByteBlock block, int offset, int length) {
    this(block, offset, length, -1);
  }

  /** The text (made by its block: {@link ByteBlock#text}). */
  public String decode() {
    return block.text(this);
  }

  /** The text, in {@code bytes}: the bytes of its block. */
  public String decodeFrom(byte[] bytes) {
    if (offset + length > bytes.length) {
      throw new IllegalStateException("text at offset " + offset + " of length " + length + " past the end of a "
          + bytes.length + "-byte block");
    }
    return new String(bytes, offset, length, StandardCharsets.UTF_8);
  }

  /**
   * Bytes that many texts point into, produced on first use (decompressed, for example) and
   * then kept. Implementations are thread-safe and always return the same bytes, which nobody
   * changes.
   */
  public interface ByteBlock {
    /** The bytes of the block. */
    byte[] bytes();

    /**
     * One of the block's texts: from {@link #bytes()}, unless the block can make this text
     * alone more cheaply than all of its bytes (a file image's stats section, not fetched yet).
     */
    default String text(EncodedText text) {
      return text.decodeFrom(bytes());
    }
  }
}
