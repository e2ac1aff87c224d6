package io.deltasql.core.data;

import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.storage.Storage;
import io.deltasql.core.storage.StoragePaths;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;
import java.util.UUID;
import java.util.zip.CRC32;

/**
 * Reads the deletion vector a descriptor points to (PROTOCOL.md, "Deletion Vectors" and
 * "Deletion Vector File Storage Format"): inline ({@code i}, Z85 in the log), in a file named
 * after a UUID with an optional random prefix folder ({@code u}), or at a path ({@code p}).
 * In a file, a deletion vector is framed at its offset by its size and a CRC-32 of its bytes
 * (both big-endian); the first byte of the file is the format version, 1.
 */
final class DeletionVectorLoader {
  private static final byte FORMAT_VERSION = 1;

  private final Storage storage;
  private final String tableRoot;

  DeletionVectorLoader(Storage storage, String tableRoot) {
    this.storage = Objects.requireNonNull(storage, "storage");
    this.tableRoot = Objects.requireNonNull(tableRoot, "tableRoot");
  }

  /**
   * The deletion vector of {@code dataFile}.
   *
   * @throws DeltaException {@code 58030} if its file cannot be read, {@code XX002} if it is
   *     corrupt or does not match its descriptor
   */
  DeletionVector load(DeletionVectorDescriptor dv, String dataFile) {
    DeletionVector vector = switch (dv.storageType()) {
      case "i" -> inline(dv, dataFile);
      case "u", "p" -> stored(dv, path(dv, dataFile), dataFile);
      default -> throw DataErrors.corruptDeletionVector("of '" + dataFile + "'",
          "storage type '" + dv.storageType() + "' is none of u, i, p");
    };
    if (vector.cardinality() != dv.cardinality()) {
      throw DataErrors.corruptDeletionVector(describe(dv, dataFile), "it deletes "
          + vector.cardinality() + " rows, but the log says " + dv.cardinality());
    }
    return vector;
  }

  /** The absolute path of a stored ({@code u} or {@code p}) deletion vector. */
  String path(DeletionVectorDescriptor dv, String dataFile) {
    String stored = dv.pathOrInlineDv();
    if (dv.storageType().equals("p")) {
      return StoragePaths.resolveInTable(tableRoot, stored);
    }
    if (stored.length() < Z85.UUID_LENGTH) {
      throw DataErrors.corruptDeletionVector("of '" + dataFile + "'", "'" + stored
          + "' is too short to hold a UUID");
    }
    String prefix = stored.substring(0, stored.length() - Z85.UUID_LENGTH);
    UUID uuid;
    try {
      uuid = Z85.decodeUuid(stored.substring(prefix.length()));
    } catch (IllegalArgumentException e) {
      throw DataErrors.corruptDeletionVector("of '" + dataFile + "'", "'" + stored
          + "' does not end in a Z85 UUID: " + e.getMessage());
    }
    if (prefix.contains("..") || prefix.contains("\\")) {
      throw DataErrors.corruptDeletionVector("of '" + dataFile + "'", "prefix '" + prefix
          + "' would leave the table folder");
    }
    String name = "deletion_vector_" + uuid + ".bin";
    return StoragePaths.join(tableRoot, prefix.isEmpty() ? name : prefix + "/" + name);
  }

  private static DeletionVector inline(DeletionVectorDescriptor dv, String dataFile) {
    byte[] data;
    try {
      data = Z85.decode(dv.pathOrInlineDv(), dv.sizeInBytes());
    } catch (IllegalArgumentException e) {
      throw DataErrors.corruptDeletionVector(describe(dv, dataFile), e.getMessage());
    }
    return DeletionVector.parse(data, describe(dv, dataFile));
  }

  private DeletionVector stored(DeletionVectorDescriptor dv, String path, String dataFile) {
    int offset = dv.offset().orElse(1);
    int size = dv.sizeInBytes();
    String where = "at offset " + offset + " of '" + path + "' (for '" + dataFile + "')";
    if (offset < 1 || size < 0) {
      throw DataErrors.corruptDeletionVector(where, "offset " + offset + " or size " + size
          + " is out of range");
    }
    // With the usual offset 1, one read also covers the format version byte.
    int start = offset == 1 ? 0 : offset;
    int length = (offset - start) + 4 + size + 4;
    byte[] bytes;
    try {
      bytes = storage.readRange(path, start, length);
    } catch (DeltaException e) {
      throw DataErrors.missingDeletionVector(path, dataFile, e);
    }
    if (bytes.length < length) {
      throw DataErrors.corruptDeletionVector(where, "the file ends after " + (start + bytes.length)
          + " bytes, before the " + size + " bytes of the deletion vector and its checksum");
    }
    ByteBuffer frame = ByteBuffer.wrap(bytes);
    if (start == 0 && frame.get() != FORMAT_VERSION) {
      throw DataErrors.corruptDeletionVector(where, "the file format version is " + bytes[0]
          + ", not " + FORMAT_VERSION);
    }
    int storedSize = frame.getInt();
    if (storedSize != size) {
      throw DataErrors.corruptDeletionVector(where, "it is framed as " + storedSize
          + " bytes, but the log says " + size);
    }
    byte[] data = Arrays.copyOfRange(bytes, frame.position(), frame.position() + size);
    frame.position(frame.position() + size);
    int checksum = frame.getInt();
    CRC32 crc = new CRC32();
    crc.update(data);
    if ((int) crc.getValue() != checksum) {
      throw DataErrors.corruptDeletionVector(where, "its CRC-32 is " + Integer.toHexString(
          (int) crc.getValue()) + ", but the file says " + Integer.toHexString(checksum));
    }
    return DeletionVector.parse(data, where);
  }

  private static String describe(DeletionVectorDescriptor dv, String dataFile) {
    return dv.storageType().equals("i") ? "stored inline for '" + dataFile + "'"
        : "'" + dv.pathOrInlineDv() + "' of '" + dataFile + "'";
  }

  /**
   * The bytes of a deletion vector file holding one deletion vector at offset 1 (for writers
   * and tests): version byte, size, data, CRC-32.
   */
  static byte[] fileOf(DeletionVector vector) {
    byte[] data = vector.serialize();
    CRC32 crc = new CRC32();
    crc.update(data);
    return ByteBuffer.allocate(1 + 4 + data.length + 4).put(FORMAT_VERSION).putInt(data.length)
        .put(data).putInt((int) crc.getValue()).array();
  }
}
