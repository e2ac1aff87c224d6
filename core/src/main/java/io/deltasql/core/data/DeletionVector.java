package io.deltasql.core.data;

import io.deltasql.core.actions.DeletionVectorDescriptor;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Optional;
import org.roaringbitmap.RoaringBitmap;
import org.roaringbitmap.longlong.Roaring64NavigableMap;

/**
 * The set of deleted row indexes of one data file (PROTOCOL.md, "Deletion Vector Format"):
 * 0-based positions of rows in the Parquet file. Serialized as a little-endian magic number
 * followed by a 64-bit Roaring bitmap in the portable format ({@code RoaringBitmapArray} in
 * Delta). Reading also accepts the older "native" format that Delta and Delta Kernel read
 * (magic number 1681511376, a count of 32-bit bitmaps, each preceded by its size; bitmap i
 * holds the rows whose upper 32 bits are i). Immutable.
 */
public final class DeletionVector {
  /** The magic number of the portable 64-bit Roaring bitmap format. */
  static final int MAGIC = 1681511377;
  /** The magic number of Delta's older native format. */
  static final int NATIVE_MAGIC = 1681511376;
  /** A deletion vector that deletes nothing. */
  public static final DeletionVector EMPTY = new DeletionVector(new Roaring64NavigableMap());

  private final Roaring64NavigableMap rows;

  private DeletionVector(Roaring64NavigableMap rows) {
    this.rows = rows;
  }

  /** A deletion vector that deletes the given row indexes. */
  public static DeletionVector of(long... rowIndexes) {
    Roaring64NavigableMap rows = new Roaring64NavigableMap();
    for (long row : rowIndexes) {
      if (row < 0) {
        throw new IllegalArgumentException("row index " + row + " is negative");
      }
      rows.addLong(row);
    }
    rows.runOptimize();
    return new DeletionVector(rows);
  }

  /**
   * Parses the serialized form (magic number and bitmap, without the file framing).
   *
   * @param where the deletion vector, for errors (its file and offset, or "inline")
   * @throws io.deltasql.core.errors.DeltaException {@code XX002} if the bytes are not a
   *     deletion vector
   */
  public static DeletionVector parse(byte[] data, String where) {
    if (data.length < 4) {
      throw DataErrors.corruptDeletionVector(where, "it has " + data.length + " bytes, fewer than"
          + " its magic number");
    }
    int magic = ByteBuffer.wrap(data, 0, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
    Roaring64NavigableMap rows;
    if (magic == MAGIC) {
      rows = parsePortable(data, where);
    } else if (magic == NATIVE_MAGIC) {
      rows = parseNative(data, where);
    } else {
      throw DataErrors.corruptDeletionVector(where, "magic number " + magic + " is neither "
          + MAGIC + " (portable 64-bit Roaring bitmap) nor " + NATIVE_MAGIC + " (native)");
    }
    if (!rows.isEmpty() && rows.last() < 0) {
      throw DataErrors.corruptDeletionVector(where, "it holds a row index of 2^63 or more");
    }
    return new DeletionVector(rows);
  }

  private static Roaring64NavigableMap parsePortable(byte[] data, String where) {
    ByteArrayInputStream bytes = new ByteArrayInputStream(data, 4, data.length - 4);
    Roaring64NavigableMap rows = new Roaring64NavigableMap();
    try {
      rows.deserializePortable(new DataInputStream(bytes));
    } catch (IOException | RuntimeException e) {
      throw DataErrors.corruptDeletionVector(where, "its bitmap cannot be decoded ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    if (bytes.available() != 0) {
      throw DataErrors.corruptDeletionVector(where, bytes.available()
          + " bytes follow the bitmap");
    }
    return rows;
  }

  private static Roaring64NavigableMap parseNative(byte[] data, String where) {
    ByteBuffer buffer = ByteBuffer.wrap(data, 4, data.length - 4).order(ByteOrder.LITTLE_ENDIAN);
    Roaring64NavigableMap rows = new Roaring64NavigableMap();
    try {
      int count = buffer.getInt();
      if (count < 0) {
        throw new IOException("negative bitmap count " + count);
      }
      for (long high = 0; high < count; high++) {
        int size = buffer.getInt();
        if (size < 0 || size > buffer.remaining()) {
          throw new IOException("bitmap " + high + " of " + size + " bytes does not fit");
        }
        RoaringBitmap bitmap = new RoaringBitmap();
        bitmap.deserialize(buffer.slice().order(ByteOrder.LITTLE_ENDIAN).limit(size));
        buffer.position(buffer.position() + size);
        long base = high << 32;
        bitmap.forEach((int low) -> rows.addLong(base | (low & 0xFFFFFFFFL)));
      }
    } catch (IOException | RuntimeException e) {
      throw DataErrors.corruptDeletionVector(where, "its native bitmap cannot be decoded ("
          + e.getClass().getSimpleName() + ": " + e.getMessage() + ")");
    }
    if (buffer.hasRemaining()) {
      throw DataErrors.corruptDeletionVector(where, buffer.remaining()
          + " bytes follow the bitmaps");
    }
    return rows;
  }

  /** Whether the row at {@code rowIndex} is deleted. */
  public boolean contains(long rowIndex) {
    return rowIndex >= 0 && rows.contains(rowIndex);
  }

  /** How many rows are deleted. */
  public long cardinality() {
    return rows.getLongCardinality();
  }

  /** The deleted row indexes, ascending. */
  public long[] toArray() {
    return rows.toArray();
  }

  /** The serialized form: magic number and portable bitmap. */
  public byte[] serialize() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (DataOutputStream data = new DataOutputStream(out)) {
      data.writeInt(Integer.reverseBytes(MAGIC));
      rows.serializePortable(data);
    } catch (IOException e) {
      throw new UncheckedIOException("serializing to memory cannot fail", e);
    }
    return out.toByteArray();
  }

  /** A descriptor that stores this deletion vector inline in the log (storage type {@code i}). */
  public DeletionVectorDescriptor toInlineDescriptor() {
    byte[] data = serialize();
    return new DeletionVectorDescriptor("i", Z85.encode(data), Optional.empty(), data.length,
        cardinality());
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DeletionVector other && rows.equals(other.rows);
  }

  @Override
  public int hashCode() {
    return rows.hashCode();
  }

  @Override
  public String toString() {
    return "DeletionVector" + rows;
  }
}
