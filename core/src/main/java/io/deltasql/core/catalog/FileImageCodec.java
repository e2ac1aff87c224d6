package io.deltasql.core.catalog;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.EncodedText;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.actions.Maps;
import io.deltasql.core.actions.StatsBlock;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.json.FileStatsJson;
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
 * <p>A chunk (format 4) is a header, {@code magic (int), format (byte), files (int), main
 * section length (int), its compressed length (int), stats columns length (int), stats section
 * length (int), its compressed length (int)}, then the CRC-32C of each of the three parts that
 * follow (int each): the main section and the stats section are compressed with LZ4
 * (aircompressor's pure Java codec: 100k files of the benchmark table decompress in 16 ms of
 * CPU against Snappy's 28 ms; measured 2026-12-03). The main section holds the files one after
 * the other, each as flags (one byte: which optional fields follow), path, size, modification
 * time, partition values (the catalog's canonical JSON), the length of its stats, tags (JSON),
 * the deletion vector, row tracking and clustering fields; strings are a length and UTF-8
 * bytes. Then the stats columns ({@link StatsColumns}): what file skipping reads of the files'
 * stats JSON, typed, column by column, so that planning a query skips files without parsing
 * their stats. Then the stats section: the files' stats JSON, one after the other.
 *
 * <p>The catalog keeps the three parts in columns of their own ({@link #split}): a listing
 * reads and decodes the header and the main section only, about a third of an image (the stats
 * JSON is 330 of the ~400 bytes of a file of the benchmark table before compression). A
 * decoded file points into its chunk's stats section ({@link AddFile#ofEncodedStats}); the
 * stats columns and the stats section are fetched from a {@link PartSource} the first time one
 * of the chunk's files' typed stats or stats are read, checked against their checksums, then
 * kept (the stats section decompressed). The stats of a few files alone (a DELETE removing one
 * file of a large table) are read from their rows instead ({@link PartSource#statsOfRow}): one
 * row each rather than every chunk's section. Every field of an {@link AddFile} that a snapshot
 * holds is kept ({@code dataChange} is always {@code false} in a snapshot), so a decoded image
 * equals the rows it was made from. Formats 1 to 3 (the parts in one value) are not read: such
 * an image is replaced.
 */
final class FileImageCodec {
  static final int MAGIC = 0x44514649; // "DQFI"
  static final byte FORMAT = 4;
  static final int FILES_PER_CHUNK = 2048;
  private static final int HEADER_BYTES = 4 + 1 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4 + 4;

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

  /** The chunks of an image of {@code files}, in order, each whole: the writer {@link #split}s them. */
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
          + statsColumns.length + compressor.maxCompressedLength(statsSection.length)];
      int mainLength = compress(compressor, mainSection, chunk, HEADER_BYTES);
      int columnsAt = HEADER_BYTES + mainLength;
      System.arraycopy(statsColumns, 0, chunk, columnsAt, statsColumns.length);
      int statsAt = columnsAt + statsColumns.length;
      int statsLength = compress(compressor, statsSection, chunk, statsAt);
      int end = statsAt + statsLength;
      ByteBuffer.wrap(chunk).putInt(MAGIC).put(FORMAT).putInt(files.size()).putInt(mainSection.length)
          .putInt(mainLength).putInt(statsColumns.length).putInt(statsSection.length).putInt(statsLength)
          .putInt(crc(chunk, HEADER_BYTES, mainLength)).putInt(crc(chunk, columnsAt, statsColumns.length))
          .putInt(crc(chunk, statsAt, statsLength));
      return Arrays.copyOf(chunk, end);
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write a file image chunk: " + e.getMessage(), e);
    }
  }

  private static int crc(byte[] bytes, int offset, int length) {
    CRC32C crc = new CRC32C();
    crc.update(bytes, offset, length);
    return (int) crc.getValue();
  }

  /**
   * A chunk in the three parts that the catalog keeps in columns of their own: the header and
   * the main section (what a listing reads), the stats columns (what planning reads) and the
   * compressed stats section (what {@link AddFile#stats()} reads).
   */
  record Parts(byte[] main, byte[] statsColumns, byte[] stats) {}

  /** Splits a chunk made by {@link #encode} into the {@link Parts} the catalog keeps. */
  static Parts split(byte[] chunk) {
    Header header = Header.of(chunk);
    int columnsAt = HEADER_BYTES + header.mainCompressed;
    int statsAt = columnsAt + header.columnsLength;
    return new Parts(Arrays.copyOf(chunk, columnsAt), Arrays.copyOfRange(chunk, columnsAt, statsAt),
        Arrays.copyOfRange(chunk, statsAt, statsAt + header.statsCompressed));
  }

  /** What a chunk's header says (not yet checked against the chunk). */
  private record Header(int count, int mainLength, int mainCompressed, int columnsLength, int statsLength,
      int statsCompressed, int mainCrc, int columnsCrc, int statsCrc) {
    static Header of(byte[] chunk) {
      ByteBuffer in = ByteBuffer.wrap(chunk);
      if (chunk.length < HEADER_BYTES || in.getInt() != MAGIC) {
        throw new IllegalArgumentException("not a file image chunk (bad magic number)");
      }
      byte format = in.get();
      if (format != FORMAT) {
        throw new IllegalArgumentException("unknown file image format " + format);
      }
      return new Header(in.getInt(), in.getInt(), in.getInt(), in.getInt(), in.getInt(), in.getInt(), in.getInt(),
          in.getInt(), in.getInt());
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

  /** The two parts of a chunk that a listing does not read (see {@link Parts}). */
  enum Part {
    STATS_COLUMNS("stats_columns"), STATS("stats");

    private final String column;

    Part(String column) {
      this.column = column;
    }

    /** The catalog column that holds it. */
    String column() {
      return column;
    }
  }

  /**
   * Where the parts of an image's chunks come from that a listing does not read: fetched from
   * the catalog the first time a file's statistics are asked for. A version's files never
   * change, but its image may have been replaced since it was read: then the stats come from
   * the catalog's rows, and skipping parses them.
   */
  interface PartSource {
    /** The part of chunk {@code chunk} as the image holds it, if the image still has it. */
    Optional<byte[]> part(Part part, int chunk);

    /** The stats JSON of every file in force at the image's version (its rows), by key. */
    Map<FileKey, Optional<String>> statsOfRows();

    /**
     * The stats JSON of the file {@code key} of the image's version, from its row, while that
     * is cheaper than the stats part of every chunk: empty once the source has fetched that
     * part or answered enough single files that readers seem to want them all (the caller then
     * reads the part), or when the row is gone.
     */
    Optional<String> statsOfRow(FileKey key);
  }

  /**
   * Decodes the chunks of one image into its files, in order: each chunk's main section is
   * decompressed and parsed now, in parallel (the caller's thread and the common pool: chunks
   * are independent). A chunk is its main part ({@link Parts#main()}, as a listing reads it
   * from the catalog), whose other parts come from {@code later} the first time one of its
   * files' stats is read.
   */
  static List<AddFile> decodeAll(List<byte[]> chunks, PartSource later) throws CorruptImageException {
    Decoder decoder = new Decoder(later);
    List<AddFile[]> decoded;
    try {
      decoded = java.util.stream.IntStream.range(0, chunks.size()).parallel()
          .mapToObj(i -> decoder.decodeUnchecked(chunks.get(i), i)).toList();
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
    /** Where the other parts of the chunks come from. */
    private final PartSource later;

    Decoder(PartSource later) {
      this.later = java.util.Objects.requireNonNull(later, "later");
    }

    private AddFile[] decodeUnchecked(byte[] chunk, int index) {
      try {
        return decode(chunk, index);
      } catch (CorruptImageException e) {
        throw new UncheckedCorruption(e);
      }
    }

    /** The files of chunk {@code index}, of its main part. */
    AddFile[] decode(byte[] chunk, int index) throws CorruptImageException {
      try {
        Header header;
        try {
          header = Header.of(chunk);
        } catch (IllegalArgumentException e) {
          throw new CorruptImageException(e.getMessage());
        }
        int count = header.count();
        int mainLength = header.mainLength();
        int mainCompressed = header.mainCompressed();
        if (count < 0 || mainLength < 0 || header.statsLength() < 0 || mainCompressed < 0
            || header.columnsLength() < 0 || header.statsCompressed() < 0
            || mainCompressed > chunk.length - HEADER_BYTES) {
          throw new CorruptImageException("inconsistent chunk header (" + count + " files, sections of "
              + mainLength + " and " + header.statsLength() + " bytes)");
        }
        int columnsAt = HEADER_BYTES + mainCompressed;
        if (chunk.length != columnsAt) {
          throw new CorruptImageException("a chunk's main part of " + chunk.length + " bytes whose header says "
              + columnsAt);
        }
        if (crc(chunk, HEADER_BYTES, mainCompressed) != header.mainCrc()) {
          throw new CorruptImageException("checksum mismatch");
        }
        byte[] main = new byte[mainLength];
        int decompressed = new Lz4Decompressor().decompress(chunk, HEADER_BYTES, mainCompressed, main, 0, mainLength);
        if (decompressed != mainLength) {
          throw new CorruptImageException("main section decompresses to " + decompressed + " bytes, not "
              + mainLength);
        }
        return readFiles(ByteBuffer.wrap(main), count, new StatsSection(index, header, later));
      } catch (RuntimeException e) {
        // Whatever a damaged chunk makes the decoder throw (buffer underflow, malformed LZ4
        // input, a bad JSON object, a negative size refused by a constructor): the image is
        // unusable, the rows are not.
        throw new CorruptImageException("undecodable chunk: " + e, e);
      }
    }

    private AddFile[] readFiles(ByteBuffer in, int count, StatsSection stats) throws CorruptImageException {
      AddFile[] files = new AddFile[count];
      int[] fileOfText = new int[count];
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
          if (length > 0) {
            fileOfText[texts] = i;
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
      stats.setFiles(files, fileOfText, texts);
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
   * kept; and its stats columns, read the first time a file's typed stats are asked for. Both
   * come from the chunk's {@link PartSource} then, and are checked against the chunk's header:
   * a part that is gone or damaged is replaced by the catalog's rows (stats) or by parsing
   * the stats (stats columns).
   */
  static final class StatsSection implements StatsBlock {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StatsSection.class);

    private final int index;
    private final Header header;
    private final PartSource parts;
    /**
     * The chunk's files, the file of each non-empty text and how many there are (set once,
     * before the files are published).
     */
    private AddFile[] files;
    private int[] fileOfText;
    private int textCount;
    private volatile byte[] bytes;
    /** The stats columns, or {@link #NO_COLUMNS} when they could not be read. */
    private volatile Object columns;
    private static final Object NO_COLUMNS = new Object();

    private StatsSection(int index, Header header, PartSource parts) {
      this.index = index;
      this.header = header;
      this.parts = parts;
    }

    private void setFiles(AddFile[] files, int[] fileOfText, int textCount) {
      this.files = files;
      this.fileOfText = fileOfText;
      this.textCount = textCount;
    }

    /**
     * One file's stats: from the section when it is here, else from the file's row while the
     * source answers single files (a text whose row is gone or differs is read from the section).
     */
    @Override
    public String text(EncodedText text) {
      if (text.length() == 0) {
        return "";
      }
      byte[] section = bytes;
      if (section == null) {
        checkOwn(text);
        Optional<String> row = parts.statsOfRow(files[fileOfText[text.index()]].fileKey());
        if (row.isPresent() && row.get().getBytes(StandardCharsets.UTF_8).length == text.length()) {
          return row.get();
        }
      }
      return text.decodeFrom(section == null ? bytes() : section);
    }

    private void checkOwn(EncodedText text) {
      if (text.block() != this || text.index() < 0 || text.index() >= textCount) {
        throw new IllegalArgumentException("not a stats text of this section: " + text);
      }
    }

    @Override
    public FileStatsView statsOf(EncodedText text) {
      if (text.length() == 0) {
        return FileStats.EMPTY; // an empty stats string says nothing
      }
      checkOwn(text);
      Object c = columns();
      return c instanceof StatsColumns typed ? typed.stats(text.index(), text::decode)
          : FileStatsJson.parse(text.decode(), "a file image's stats");
    }

    private Object columns() {
      Object result = columns;
      if (result == null) {
        synchronized (this) {
          result = columns;
          if (result == null) {
            Optional<byte[]> part = verified(Part.STATS_COLUMNS, header.columnsLength(), header.columnsCrc());
            result = part.isPresent() ? StatsColumns.read(part.get(), 0, part.get().length, textCount) : NO_COLUMNS;
            columns = result;
          }
        }
      }
      return result;
    }

    /** A part as the image holds it, if it is still there and its checksum matches. */
    private Optional<byte[]> verified(Part part, int length, int expectedCrc) {
      Optional<byte[]> found = parts.part(part, index);
      if (found.isPresent() && found.get().length == length && crc(found.get(), 0, length) == expectedCrc) {
        return found;
      }
      LOG.warn("catalog file image part unusable, reading without it chunk={} part={} reason={}", index, part,
          found.isEmpty() ? "the image is gone" : "damaged");
      return Optional.empty();
    }

    /** The uncompressed length. */
    int length() {
      return header.statsLength();
    }

    @Override
    public byte[] bytes() {
      byte[] result = bytes;
      if (result == null) {
        synchronized (this) {
          result = bytes;
          if (result == null) {
            result = verified(Part.STATS, header.statsCompressed(), header.statsCrc())
                .map(this::decompress).orElseGet(this::fromRows);
            bytes = result;
          }
        }
      }
      return result;
    }

    private byte[] decompress(byte[] compressed) {
      int length = header.statsLength();
      byte[] result = new byte[length];
      int decompressed = length == 0 ? 0
          : new Lz4Decompressor().decompress(compressed, 0, compressed.length, result, 0, length);
      if (decompressed != length) {
        // The part's checksum matched: the writer and this reader disagree.
        throw new IllegalStateException("a file image's stats section decompressed to " + decompressed
            + " bytes, not " + length);
      }
      return result;
    }

    /** The section made again from the rows of the chunk's files (each file's stats, in order). */
    private byte[] fromRows() {
      Map<FileKey, Optional<String>> rows = parts.statsOfRows();
      ByteArrayOutputStream out = new ByteArrayOutputStream(header.statsLength());
      for (AddFile file : files) {
        Optional<String> stats = rows.get(file.fileKey());
        if (stats == null) {
          throw new IllegalStateException("the catalog has no row of file " + file.path()
              + " of a file image's version");
        }
        stats.ifPresent(json -> out.writeBytes(json.getBytes(StandardCharsets.UTF_8)));
      }
      if (out.size() != header.statsLength()) {
        throw new IllegalStateException("the rows' stats of a file image's chunk take " + out.size()
            + " bytes, the image's " + header.statsLength());
      }
      return out.toByteArray();
    }
  }
}
