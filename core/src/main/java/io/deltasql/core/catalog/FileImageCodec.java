package io.deltasql.core.catalog;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.EncodedText;
import io.deltasql.core.actions.Maps;
import io.deltasql.core.actions.StatsBlock;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.json.FileStatsView;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.zip.CRC32C;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;

/**
 * The binary form of a file image: the files in force at one version, in chunks of at most
 * {@link #FILES_PER_CHUNK} files, each chunk decodable on its own.
 *
 * <p>A chunk (format 3) is a header, {@code magic (int), format (byte), files (int), main
 * section length (int), its compressed length (int), stats section length (int), its
 * compressed length (int), CRC-32C of every byte after the header (int)}, then the two
 * sections, each compressed with LZ4
 * (aircompressor's pure Java codec: 100k files of the benchmark table decompress in 16 ms of
 * CPU against Snappy's 28 ms; measured 2026-12-03). The main section holds the files one after
 * the other, each as flags (one byte: which optional fields follow), path, size, modification
 * time, partition values (the catalog's canonical JSON), the length of its stats, tags (JSON),
 * the deletion vector, row tracking and clustering fields; strings are a length and UTF-8
 * bytes. The stats section is the files' stats JSON, one after the other. Then the stats
 * columns ({@link StatsColumns}): what file skipping reads of those JSON texts, typed, column by
 * column, so that planning a query skips files without parsing their stats.
 *
 * <p>Stats are most of an image (330 of the ~400 bytes of a file of the benchmark table) and a
 * listing does not read them: a decoded file points into its chunk's stats section
 * ({@link AddFile#ofEncodedStats}), which is decompressed the first time one of its files'
 * stats is read. The checksum covers the compressed bytes, so a damaged chunk is found when
 * the image is read (and the rows are read instead), not when a stats section is decompressed
 * later. Every field of an {@link AddFile} that a snapshot holds is kept ({@code dataChange} is
 * always {@code false} in a snapshot), so a decoded image equals the rows it was made from.
 * Formats 1 (one section, the stats inline) and 2 (no stats columns) are not read: such an
 * image is replaced.
 */
final class FileImageCodec {
  static final int MAGIC = 0x44514649; // "DQFI"
  static final byte FORMAT = 3;
  static final int FILES_PER_CHUNK = 2048;
  private static final int HEADER_BYTES = 4 + 1 + 4 + 4 + 4 + 4 + 4 + 4;

  private static final int STATS = 1;
  private static final int DELETION_VECTOR = 1 << 1;
  private static final int DV_OFFSET = 1 << 2;
  private static final int BASE_ROW_ID = 1 << 3;
  private static final int ROW_COMMIT_VERSION = 1 << 4;
  private static final int CLUSTERING = 1 << 5;
  private static final int PARTITION_VALUES = 1 << 6;
  private static final int TAGS = 1 << 7;

  private FileImageCodec() {}

  /** Thrown when a chunk is not what this codec wrote: the reader falls back to the rows. */
  static final class CorruptImageException extends Exception {
    private final long imageVersion;

    CorruptImageException(String message) {
      this(-1, message, null);
    }

    CorruptImageException(String message, Throwable cause) {
      this(-1, message, cause);
    }

    private CorruptImageException(long imageVersion, String message, Throwable cause) {
      super(message, cause);
      this.imageVersion = imageVersion;
    }

    /** The same failure, knowing which image it is. */
    CorruptImageException of(long version) {
      return new CorruptImageException(version, getMessage(), getCause());
    }

    /** The version of the unusable image ({@code -1} if not known yet). */
    long imageVersion() {
      return imageVersion;
    }
  }

  /**
   * {@code files} in the order an image keeps them: by modification time, then path. Files
   * written together sit together, and their statistics are alike (ids, times and dates of
   * neighbouring files are close), which the stats columns' differences and shared prefixes,
   * and LZ4, then store in fewer bytes than in the snapshot's hash order.
   */
  static List<AddFile> inImageOrder(Collection<AddFile> files) {
    List<AddFile> sorted = new ArrayList<>(files);
    sorted.sort(Comparator.comparingLong(AddFile::modificationTime).thenComparing(AddFile::path));
    return sorted;
  }

  /** The chunks of an image of {@code files}, in order. */
  static List<byte[]> encode(Collection<AddFile> files) {
    List<byte[]> chunks = new ArrayList<>(files.size() / FILES_PER_CHUNK + 1);
    List<AddFile> chunk = new ArrayList<>(Math.min(files.size(), FILES_PER_CHUNK));
    for (AddFile file : files) {
      chunk.add(file);
      if (chunk.size() == FILES_PER_CHUNK) {
        chunks.add(encodeChunk(chunk));
        chunk.clear();
      }
    }
    if (!chunk.isEmpty() || chunks.isEmpty()) {
      chunks.add(encodeChunk(chunk));
    }
    return chunks;
  }

  private static byte[] encodeChunk(List<AddFile> files) {
    try {
      ByteArrayOutputStream mainBytes = new ByteArrayOutputStream(files.size() * 96);
      ByteArrayOutputStream statsBytes = new ByteArrayOutputStream(files.size() * 384);
      DataOutputStream main = new DataOutputStream(mainBytes);
      List<String> texts = new ArrayList<>(files.size());
      for (AddFile file : files) {
        writeFile(main, statsBytes, texts, file);
      }
      main.flush();
      byte[] mainSection = mainBytes.toByteArray();
      byte[] statsSection = statsBytes.toByteArray();
      byte[] statsColumns = StatsColumns.encode(texts);
      Lz4Compressor compressor = new Lz4Compressor();
      byte[] chunk = new byte[HEADER_BYTES + compressor.maxCompressedLength(mainSection.length)
          + compressor.maxCompressedLength(statsSection.length) + statsColumns.length];
      int mainLength = compress(compressor, mainSection, chunk, HEADER_BYTES);
      int statsLength = compress(compressor, statsSection, chunk, HEADER_BYTES + mainLength);
      System.arraycopy(statsColumns, 0, chunk, HEADER_BYTES + mainLength + statsLength, statsColumns.length);
      int end = HEADER_BYTES + mainLength + statsLength + statsColumns.length;
      CRC32C crc = new CRC32C();
      crc.update(chunk, HEADER_BYTES, end - HEADER_BYTES);
      ByteBuffer.wrap(chunk).putInt(MAGIC).put(FORMAT).putInt(files.size()).putInt(mainSection.length)
          .putInt(mainLength).putInt(statsSection.length).putInt(statsLength).putInt((int) crc.getValue());
      return Arrays.copyOf(chunk, end);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a file image chunk: " + e.getMessage(), e);
    }
  }

  /** Compresses {@code section} into {@code into} at {@code offset}; returns the compressed length. */
  private static int compress(Lz4Compressor compressor, byte[] section, byte[] into, int offset) {
    return compressor.compress(section, 0, section.length, into, offset, into.length - offset);
  }

  private static void writeFile(DataOutputStream out, ByteArrayOutputStream stats, List<String> texts,
      AddFile file) throws IOException {
    Optional<DeletionVectorDescriptor> dv = file.deletionVector();
    Optional<String> fileStats = file.stats();
    int flags = (fileStats.isPresent() ? STATS : 0)
        | (dv.isPresent() ? DELETION_VECTOR : 0)
        | (dv.flatMap(DeletionVectorDescriptor::offset).isPresent() ? DV_OFFSET : 0)
        | (file.baseRowId().isPresent() ? BASE_ROW_ID : 0)
        | (file.defaultRowCommitVersion().isPresent() ? ROW_COMMIT_VERSION : 0)
        | (file.clusteringProvider().isPresent() ? CLUSTERING : 0)
        | (file.partitionValues().isEmpty() ? 0 : PARTITION_VALUES)
        | (file.tags().isEmpty() ? 0 : TAGS);
    out.writeByte(flags);
    writeString(out, file.path());
    out.writeLong(file.size());
    out.writeLong(file.modificationTime());
    if ((flags & PARTITION_VALUES) != 0) {
      writeString(out, CatalogJson.canonicalMap(file.partitionValues()));
    }
    if ((flags & STATS) != 0) {
      byte[] json = fileStats.get().getBytes(StandardCharsets.UTF_8);
      out.writeInt(json.length);
      stats.write(json);
      if (json.length > 0) {
        texts.add(fileStats.get());
      }
    }
    if ((flags & TAGS) != 0) {
      writeString(out, CatalogJson.map(file.tags()));
    }
    if (dv.isPresent()) {
      DeletionVectorDescriptor d = dv.get();
      writeString(out, d.storageType());
      writeString(out, d.pathOrInlineDv());
      if ((flags & DV_OFFSET) != 0) {
        out.writeInt(d.offset().get());
      }
      out.writeInt(d.sizeInBytes());
      out.writeLong(d.cardinality());
    }
    if ((flags & BASE_ROW_ID) != 0) {
      out.writeLong(file.baseRowId().get());
    }
    if ((flags & ROW_COMMIT_VERSION) != 0) {
      out.writeLong(file.defaultRowCommitVersion().get());
    }
    if ((flags & CLUSTERING) != 0) {
      writeString(out, file.clusteringProvider().get());
    }
  }

  private static void writeString(DataOutputStream out, String value) throws IOException {
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    out.writeInt(bytes.length);
    out.write(bytes);
  }

  /**
   * Decodes the chunks of one image into its files, in order: each chunk's main section is
   * decompressed and parsed now, in parallel (the caller's thread and the common pool: chunks
   * are independent), its stats section only when one of its files' stats is first read.
   */
  static List<AddFile> decodeAll(List<byte[]> chunks) throws CorruptImageException {
    Decoder decoder = new Decoder();
    List<AddFile[]> decoded;
    try {
      decoded = chunks.parallelStream().map(decoder::decodeUnchecked).toList();
    } catch (UncheckedCorruption e) {
      throw e.corruption;
    }
    List<AddFile> files = new ArrayList<>(chunks.size() * FILES_PER_CHUNK);
    for (AddFile[] chunk : decoded) {
      files.addAll(Arrays.asList(chunk));
    }
    return files;
  }

  /** Carries a {@link CorruptImageException} out of a stream. */
  private static final class UncheckedCorruption extends RuntimeException {
    private final CorruptImageException corruption;

    UncheckedCorruption(CorruptImageException corruption) {
      super(corruption.getMessage(), corruption, false, false);
      this.corruption = corruption;
    }
  }

  /** Decodes chunks; one decoder per image read, safe to share between the threads decoding it. */
  static final class Decoder {
    /** Parsed partition value and tag objects by their JSON: most files of a table share a few. */
    private final Map<String, Map<String, String>> maps = new ConcurrentHashMap<>();

    private AddFile[] decodeUnchecked(byte[] chunk) {
      try {
        return decode(chunk);
      } catch (CorruptImageException e) {
        throw new UncheckedCorruption(e);
      }
    }

    /** The files of one chunk. */
    AddFile[] decode(byte[] chunk) throws CorruptImageException {
      try {
        ByteBuffer header = ByteBuffer.wrap(chunk);
        if (chunk.length < HEADER_BYTES || header.getInt() != MAGIC) {
          throw new CorruptImageException("not a file image chunk (bad magic number)");
        }
        byte format = header.get();
        if (format != FORMAT) {
          throw new CorruptImageException("unknown file image format " + format);
        }
        int count = header.getInt();
        int mainLength = header.getInt();
        int mainCompressed = header.getInt();
        int statsLength = header.getInt();
        int statsCompressed = header.getInt();
        int expectedCrc = header.getInt();
        if (count < 0 || mainLength < 0 || statsLength < 0 || mainCompressed < 0 || statsCompressed < 0
            || mainCompressed > chunk.length - HEADER_BYTES
            || statsCompressed > chunk.length - HEADER_BYTES - mainCompressed) {
          throw new CorruptImageException("inconsistent chunk header (" + count + " files, sections of "
              + mainLength + " and " + statsLength + " bytes)");
        }
        CRC32C crc = new CRC32C();
        crc.update(chunk, HEADER_BYTES, chunk.length - HEADER_BYTES);
        if ((int) crc.getValue() != expectedCrc) {
          throw new CorruptImageException("checksum mismatch");
        }
        byte[] main = new byte[mainLength];
        int decompressed = new Lz4Decompressor().decompress(chunk, HEADER_BYTES, mainCompressed, main, 0, mainLength);
        if (decompressed != mainLength) {
          throw new CorruptImageException("main section decompresses to " + decompressed + " bytes, not "
              + mainLength);
        }
        int statsAt = HEADER_BYTES + mainCompressed;
        int columnsAt = statsAt + statsCompressed;
        return readFiles(ByteBuffer.wrap(main), count,
            new StatsSection(chunk, statsAt, statsCompressed, statsLength, columnsAt, chunk.length - columnsAt));
      } catch (RuntimeException e) {
        // Whatever a damaged chunk makes the decoder throw (buffer underflow, malformed LZ4
        // input, a bad JSON object, a negative size refused by a constructor): the image is
        // unusable, the rows are not.
        throw new CorruptImageException("undecodable chunk: " + e, e);
      }
    }

    private AddFile[] readFiles(ByteBuffer in, int count, StatsSection stats) throws CorruptImageException {
      AddFile[] files = new AddFile[count];
      int texts = 0;
      int statsOffset = 0;
      for (int i = 0; i < count; i++) {
        int flags = in.get() & 0xff;
        String path = readString(in);
        long size = in.getLong();
        long modificationTime = in.getLong();
        Map<String, String> partitionValues = (flags & PARTITION_VALUES) != 0
            ? readMap(in, "partition values") : Map.of();
        Optional<EncodedText> fileStats = Optional.empty();
        if ((flags & STATS) != 0) {
          int length = in.getInt();
          if (length < 0 || length > stats.length() - statsOffset) {
            throw new CorruptImageException("stats of " + length + " bytes at " + statsOffset + " of a "
                + stats.length() + "-byte stats section");
          }
          fileStats = Optional.of(new EncodedText(stats, statsOffset, length, length > 0 ? texts++ : -1));
          statsOffset += length;
        }
        Map<String, String> tags = (flags & TAGS) != 0 ? readMap(in, "tags") : Map.of();
        Optional<DeletionVectorDescriptor> dv = Optional.empty();
        if ((flags & DELETION_VECTOR) != 0) {
          String storageType = readString(in);
          String pathOrInline = readString(in);
          Optional<Integer> offset = (flags & DV_OFFSET) != 0 ? Optional.of(in.getInt()) : Optional.empty();
          dv = Optional.of(new DeletionVectorDescriptor(storageType, pathOrInline, offset, in.getInt(), in.getLong()));
        }
        Optional<Long> baseRowId = (flags & BASE_ROW_ID) != 0 ? Optional.of(in.getLong()) : Optional.empty();
        Optional<Long> rowCommitVersion = (flags & ROW_COMMIT_VERSION) != 0
            ? Optional.of(in.getLong()) : Optional.empty();
        Optional<String> clustering = (flags & CLUSTERING) != 0 ? Optional.of(readString(in)) : Optional.empty();
        files[i] = AddFile.ofEncodedStats(path, partitionValues, size, modificationTime, false, fileStats, tags, dv,
            baseRowId, rowCommitVersion, clustering);
      }
      if (in.hasRemaining()) {
        throw new CorruptImageException(in.remaining() + " bytes after the last file of a chunk");
      }
      if (statsOffset != stats.length()) {
        throw new CorruptImageException("the files' stats take " + statsOffset + " of the "
            + stats.length() + " bytes of their section");
      }
      stats.setTextCount(texts);
      return files;
    }

    private Map<String, String> readMap(ByteBuffer in, String what) {
      String json = readString(in);
      // one unmodifiable copy per distinct object, which every file holding it keeps as it is
      return maps.computeIfAbsent(json, j -> Maps.copyOf(CatalogJson.readMap(j, what + " in a file image")));
    }

    private static String readString(ByteBuffer in) {
      int length = in.getInt();
      if (length < 0 || length > in.remaining()) {
        throw new IllegalArgumentException("string of " + length + " bytes with " + in.remaining() + " left");
      }
      // The JDK copies ASCII bytes straight into a compact string (no decoding loop).
      String value = new String(in.array(), in.position(), length, StandardCharsets.UTF_8);
      in.position(in.position() + length);
      return value;
    }
  }

  /**
   * The stats section of one chunk, decompressed the first time a file's stats are read, then
   * kept; and its stats columns, read the first time a file's typed stats are asked for. Its
   * checksum was verified when the chunk was decoded.
   */
  static final class StatsSection implements StatsBlock {
    private final byte[] chunk;
    private final int offset;
    private final int compressedLength;
    private final int length;
    private final int columnsAt;
    private final int columnsLength;
    /** How many non-empty texts the section holds (set once, before its files are published). */
    private int textCount;
    private volatile byte[] bytes;
    private volatile StatsColumns columns;

    StatsSection(byte[] chunk, int offset, int compressedLength, int length, int columnsAt, int columnsLength) {
      this.chunk = chunk;
      this.offset = offset;
      this.compressedLength = compressedLength;
      this.length = length;
      this.columnsAt = columnsAt;
      this.columnsLength = columnsLength;
    }

    private void setTextCount(int textCount) {
      this.textCount = textCount;
    }

    @Override
    public FileStatsView statsOf(EncodedText text) {
      if (text.length() == 0) {
        return FileStats.EMPTY; // an empty stats string says nothing
      }
      if (text.block() != this || text.index() < 0 || text.index() >= textCount) {
        throw new IllegalArgumentException("not a stats text of this section: " + text);
      }
      return columns().stats(text.index(), text::decode);
    }

    private StatsColumns columns() {
      StatsColumns result = columns;
      if (result == null) {
        synchronized (this) {
          result = columns;
          if (result == null) {
            result = StatsColumns.read(chunk, columnsAt, columnsLength, textCount);
            columns = result;
          }
        }
      }
      return result;
    }

    /** The uncompressed length. */
    int length() {
      return length;
    }

    @Override
    public byte[] bytes() {
      byte[] result = bytes;
      if (result == null) {
        synchronized (this) {
          result = bytes;
          if (result == null) {
            result = decompress();
            bytes = result;
          }
        }
      }
      return result;
    }

    private byte[] decompress() {
      byte[] result = new byte[length];
      int decompressed = length == 0 ? 0
          : new Lz4Decompressor().decompress(chunk, offset, compressedLength, result, 0, length);
      if (decompressed != length) {
        // The chunk's checksum matched when it was read: the writer and this reader disagree.
        throw new IllegalStateException("a file image's stats section decompressed to " + decompressed
            + " bytes, not " + length);
      }
      return result;
    }
  }
}
