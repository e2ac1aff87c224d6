package io.deltasql.core.catalog;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.DecimalNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.deltasql.core.json.FileStats;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.json.FileStatsView;
import io.airlift.compress.lz4.Lz4Compressor;
import io.airlift.compress.lz4.Lz4Decompressor;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * What file skipping reads of the stats texts of one file image chunk, column by column and
 * typed, so that skipping files does not parse their JSON: per text whether it parsed and its
 * {@code numRecords}; per top-level column of {@code minValues}, {@code maxValues} and
 * {@code nullCount} (by physical name) the minimum, maximum and null count of every text.
 *
 * <p>Exact by construction: each text is parsed once, when the image is written, by
 * {@link FileStatsJson} (what {@code FileSkipping} parses), and a value is kept typed only when
 * the node it parsed to can be made again as the same kind of node with the same value: an
 * {@code int}/{@code long} number, a decimal whose unscaled value fits a {@code long}, a string.
 * Any other value (a larger number, a boolean) is marked as such, and reading it parses that
 * file's JSON. A null, absent or object value is absent, as {@link FileStats} has it.
 *
 * <p>Layout (the section follows the chunk's LZ4 sections; the CRC of the chunk covers it): the
 * number of texts; a block of per-text records ({@code 0} did not parse, {@code 1} parsed
 * without {@code numRecords}, {@code 2} with it, then the count); the number of columns; per
 * column its name and its block. Each block is its uncompressed length, its compressed length
 * and its bytes compressed with LZ4, so that reading one column decompresses only its own
 * block. A column's block holds the minimums, the maximums (a kind byte per text, then each
 * value of a typed kind in order) and the null counts (a byte per text: present or not, then
 * each present count). Numbers are zig-zag variable-length differences from the previous value
 * of their kind in the same array, strings a shared prefix length and the rest (see
 * {@link #writeVarLong}).
 */
final class StatsColumns {
  static final byte ABSENT = 0;
  static final byte INT = 1;
  static final byte DECIMAL = 2;
  static final byte STRING = 3;
  /** A value kept only in the JSON: reading it parses the file's stats. */
  static final byte OTHER = 4;

  private static final byte NOT_PARSED = 0;
  private static final byte NO_RECORD_COUNT = 1;
  private static final byte RECORD_COUNT = 2;

  private final int count;
  private final byte[] states;
  private final long[] numRecords;
  private final byte[] section;
  private final Map<String, int[]> blocks;
  private final Map<String, Column> columns = new ConcurrentHashMap<>();
  /** The last column looked up: file skipping asks for one column file after file. */
  private volatile Column last;

  private StatsColumns(int count, byte[] states, long[] numRecords, byte[] section, Map<String, int[]> blocks) {
    this.count = count;
    this.states = states;
    this.numRecords = numRecords;
    this.section = section;
    this.blocks = blocks;
  }

  /** The section for {@code texts}, the chunk's non-empty stats texts in order. */
  static byte[] encode(List<String> texts) {
    int n = texts.size();
    List<FileStats> parsed = new ArrayList<>(n);
    Set<String> names = new LinkedHashSet<>();
    for (String text : texts) {
      FileStats stats;
      try {
        stats = FileStatsJson.parse(text, "file image");
      } catch (RuntimeException e) {
        stats = null; // skipping reads such stats as none at all
      }
      parsed.add(stats);
      if (stats != null) {
        stats.minValues().fieldNames().forEachRemaining(names::add);
        stats.maxValues().fieldNames().forEachRemaining(names::add);
        stats.nullCount().fieldNames().forEachRemaining(names::add);
      }
    }
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream(n * 64 + 64);
      DataOutputStream out = new DataOutputStream(bytes);
      out.writeInt(n);
      writeBlock(out, block(o -> {
        for (FileStats stats : parsed) {
          if (stats == null) {
            o.writeByte(NOT_PARSED);
          } else if (stats.numRecords().isEmpty()) {
            o.writeByte(NO_RECORD_COUNT);
          } else {
            o.writeByte(RECORD_COUNT);
            writeVarLong(o, stats.numRecords().get());
          }
        }
      }));
      out.writeInt(names.size());
      for (String name : names) {
        byte[] utf8 = name.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
        writeBlock(out, block(o -> {
          writeValues(o, parsed, stats -> stats.minValue(name));
          writeValues(o, parsed, stats -> stats.maxValue(name));
          for (FileStats stats : parsed) {
            o.writeByte(stats != null && stats.nullCount(name).isPresent() ? 1 : 0);
          }
          for (FileStats stats : parsed) {
            if (stats != null && stats.nullCount(name).isPresent()) {
              writeVarLong(o, stats.nullCount(name).get());
            }
          }
        }));
      }
      out.flush();
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot write the stats columns of a file image chunk: " + e.getMessage(), e);
    }
  }

  private interface BlockWriter {
    void write(DataOutputStream out) throws IOException;
  }

  private static byte[] block(BlockWriter writer) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    writer.write(out);
    out.flush();
    return bytes.toByteArray();
  }

  private static void writeBlock(DataOutputStream out, byte[] raw) throws IOException {
    Lz4Compressor compressor = new Lz4Compressor();
    byte[] compressed = new byte[compressor.maxCompressedLength(raw.length)];
    int length = compressor.compress(raw, 0, raw.length, compressed, 0, compressed.length);
    out.writeInt(raw.length);
    out.writeInt(length);
    out.write(compressed, 0, length);
  }

  private interface ValueOf {
    Optional<JsonNode> of(FileStats stats);
  }

  private static void writeValues(DataOutputStream out, List<FileStats> parsed, ValueOf value) throws IOException {
    List<JsonNode> nodes = new ArrayList<>(parsed.size());
    for (FileStats stats : parsed) {
      JsonNode node = stats == null ? null : value.of(stats).orElse(null);
      nodes.add(node);
      out.writeByte(kind(node));
    }
    long previousInt = 0;
    long previousUnscaled = 0;
    byte[] previousText = new byte[0];
    for (JsonNode node : nodes) {
      switch (kind(node)) {
        case INT -> {
          writeVarLong(out, node.longValue() - previousInt);
          previousInt = node.longValue();
        }
        case DECIMAL -> {
          BigDecimal decimal = node.decimalValue();
          long unscaled = decimal.unscaledValue().longValueExact();
          writeVarLong(out, decimal.scale());
          writeVarLong(out, unscaled - previousUnscaled);
          previousUnscaled = unscaled;
        }
        case STRING -> {
          byte[] utf8 = node.textValue().getBytes(StandardCharsets.UTF_8);
          int common = Arrays.mismatch(previousText, utf8);
          common = common < 0 ? utf8.length : common;
          writeVarLong(out, common);
          writeVarLong(out, utf8.length - common);
          out.write(utf8, common, utf8.length - common);
          previousText = utf8;
        }
        default -> { }
      }
    }
  }

  /**
   * A zig-zag variable-length number: small values of either sign take a byte or two. Values
   * are written as differences from the previous one of their column (ids and times of
   * neighbouring files are close), strings as the length of the prefix shared with the previous
   * one and the rest.
   */
  private static void writeVarLong(DataOutputStream out, long value) throws IOException {
    long v = (value << 1) ^ (value >> 63);
    while ((v & ~0x7FL) != 0) {
      out.writeByte((int) ((v & 0x7F) | 0x80));
      v >>>= 7;
    }
    out.writeByte((int) v);
  }

  private static long readVarLong(ByteBuffer in) {
    long v = 0;
    for (int shift = 0; shift < 64; shift += 7) {
      byte b = in.get();
      v |= (long) (b & 0x7F) << shift;
      if (b >= 0) {
        return (v >>> 1) ^ -(v & 1);
      }
    }
    throw new IllegalArgumentException("malformed variable-length number");
  }

  /** How a value is kept: only kinds whose node can be made again exactly are typed. */
  static byte kind(JsonNode node) {
    if (node == null) {
      return ABSENT;
    }
    if (node instanceof IntNode || node instanceof LongNode) {
      return INT;
    }
    if (node instanceof DecimalNode && node.decimalValue().unscaledValue().bitLength() < 64) {
      return DECIMAL;
    }
    if (node instanceof TextNode) {
      return STRING;
    }
    return OTHER;
  }

  /**
   * Reads the section's directory (the per-text records are decompressed now, each column's
   * block when it is first asked for).
   *
   * @throws IllegalArgumentException if the section is malformed, or does not hold {@code texts} texts
   */
  static StatsColumns read(byte[] section, int offset, int length, int texts) {
    ByteBuffer in = ByteBuffer.wrap(section, offset, length);
    int count = in.getInt();
    if (count != texts) {
      throw new IllegalArgumentException("stats columns of " + count + " texts for " + texts);
    }
    ByteBuffer records = ByteBuffer.wrap(decompress(section, in));
    byte[] states = new byte[count];
    long[] numRecords = new long[count];
    for (int i = 0; i < count; i++) {
      states[i] = records.get();
      if (states[i] == RECORD_COUNT) {
        numRecords[i] = readVarLong(records);
      } else if (states[i] != NOT_PARSED && states[i] != NO_RECORD_COUNT) {
        throw new IllegalArgumentException("unknown stats record state " + states[i]);
      }
    }
    if (records.hasRemaining()) {
      throw new IllegalArgumentException(records.remaining() + " bytes after the stats records");
    }
    int columnCount = in.getInt();
    if (columnCount < 0) {
      throw new IllegalArgumentException(columnCount + " stats columns");
    }
    Map<String, int[]> blocks = new HashMap<>();
    for (int c = 0; c < columnCount; c++) {
      int nameLength = in.getInt();
      if (nameLength < 0 || nameLength > in.remaining()) {
        throw new IllegalArgumentException("column name of " + nameLength + " bytes");
      }
      String name = new String(section, in.position(), nameLength, StandardCharsets.UTF_8);
      in.position(in.position() + nameLength);
      blocks.put(name, new int[] {in.position()});
      skipBlock(in);
    }
    if (in.hasRemaining()) {
      throw new IllegalArgumentException(in.remaining() + " bytes after the stats columns");
    }
    return new StatsColumns(count, states, numRecords, section, blocks);
  }

  private static void skipBlock(ByteBuffer in) {
    int raw = in.getInt();
    int compressed = in.getInt();
    if (raw < 0 || compressed < 0 || compressed > in.remaining()) {
      throw new IllegalArgumentException("block of " + compressed + " compressed bytes with " + in.remaining()
          + " left");
    }
    in.position(in.position() + compressed);
  }

  private static byte[] decompress(byte[] section, ByteBuffer in) {
    int raw = in.getInt();
    int compressed = in.getInt();
    if (raw < 0 || compressed < 0 || compressed > in.remaining()) {
      throw new IllegalArgumentException("block of " + compressed + " compressed bytes with " + in.remaining()
          + " left");
    }
    byte[] result = new byte[raw];
    int length = raw == 0 ? 0 : new Lz4Decompressor().decompress(section, in.position(), compressed, result, 0, raw);
    if (length != raw) {
      throw new IllegalArgumentException("block decompresses to " + length + " bytes, not " + raw);
    }
    in.position(in.position() + compressed);
    return result;
  }

  /**
   * The statistics of text {@code index}, answering as its JSON parsed would; {@code json}
   * gives that JSON, parsed only for a value that is not kept typed.
   */
  FileStatsView stats(int index, Supplier<String> json) {
    if (states[index] == NOT_PARSED) {
      return FileStats.EMPTY;
    }
    return new View(index, json);
  }

  /** The column named {@code name}, decoded on first use; null if no text has it. */
  private Column column(String name) {
    Column c = last;
    if (c != null && (c.name == name || c.name.equals(name))) {
      return c;
    }
    int[] at = blocks.get(name);
    if (at == null) {
      return null;
    }
    c = columns.computeIfAbsent(name, n -> Column.decode(n, decompress(section, ByteBuffer.wrap(section, at[0],
        section.length - at[0])), count));
    last = c;
    return c;
  }

  /** One column's values, typed. */
  private static final class Column {
    final String name;
    final Values min;
    final Values max;
    final boolean[] hasNullCount;
    final long[] nullCount;

    private Column(String name, Values min, Values max, boolean[] hasNullCount, long[] nullCount) {
      this.name = name;
      this.min = min;
      this.max = max;
      this.hasNullCount = hasNullCount;
      this.nullCount = nullCount;
    }

    static Column decode(String name, byte[] block, int count) {
      ByteBuffer in = ByteBuffer.wrap(block);
      Values min = Values.decode(in, count);
      Values max = Values.decode(in, count);
      boolean[] has = new boolean[count];
      long[] nulls = new long[count];
      for (int i = 0; i < count; i++) {
        has[i] = in.get() != 0;
      }
      for (int i = 0; i < count; i++) {
        if (has[i]) {
          nulls[i] = readVarLong(in);
        }
      }
      if (in.hasRemaining()) {
        throw new IllegalStateException(in.remaining() + " bytes after stats column " + name
            + " of a file image");
      }
      return new Column(name, min, max, has, nulls);
    }
  }

  /** The minimums or the maximums of one column. */
  private static final class Values {
    final byte[] kinds;
    final long[] longs;
    final int[] scales;
    final String[] strings;

    private Values(byte[] kinds, long[] longs, int[] scales, String[] strings) {
      this.kinds = kinds;
      this.longs = longs;
      this.scales = scales;
      this.strings = strings;
    }

    static Values decode(ByteBuffer in, int count) {
      byte[] kinds = new byte[count];
      in.get(kinds);
      long[] longs = null;
      int[] scales = null;
      String[] strings = null;
      long previousInt = 0;
      long previousUnscaled = 0;
      byte[] text = new byte[64];
      int textLength = 0;
      for (int i = 0; i < count; i++) {
        switch (kinds[i]) {
          case INT -> {
            longs = longs != null ? longs : new long[count];
            previousInt += readVarLong(in);
            longs[i] = previousInt;
          }
          case DECIMAL -> {
            longs = longs != null ? longs : new long[count];
            scales = scales != null ? scales : new int[count];
            scales[i] = Math.toIntExact(readVarLong(in));
            previousUnscaled += readVarLong(in);
            longs[i] = previousUnscaled;
          }
          case STRING -> {
            strings = strings != null ? strings : new String[count];
            int common = Math.toIntExact(readVarLong(in));
            int rest = Math.toIntExact(readVarLong(in));
            if (common < 0 || rest < 0 || common > textLength) {
              throw new IllegalStateException("malformed string statistic in a file image");
            }
            if (common + rest > text.length) {
              text = Arrays.copyOf(text, Math.max(common + rest, 2 * text.length));
            }
            in.get(text, common, rest);
            textLength = common + rest;
            strings[i] = new String(text, 0, textLength, StandardCharsets.UTF_8);
          }
          case ABSENT, OTHER -> { }
          default -> throw new IllegalStateException("unknown stats value kind " + kinds[i] + " in a file image");
        }
      }
      return new Values(kinds, longs, scales, strings);
    }

    /** The value of text {@code i}: empty if absent, null if kept only in the JSON. */
    Optional<JsonNode> node(int i) {
      return switch (kinds[i]) {
        case ABSENT -> Optional.empty();
        case INT -> Optional.of(longs[i] == (int) longs[i] ? IntNode.valueOf((int) longs[i]) : LongNode.valueOf(longs[i]));
        case DECIMAL -> Optional.of(DecimalNode.valueOf(BigDecimal.valueOf(longs[i], scales[i])));
        case STRING -> Optional.of(TextNode.valueOf(strings[i]));
        default -> null;
      };
    }
  }

  /** One text's statistics. */
  private final class View implements FileStatsView {
    private final int index;
    private final Supplier<String> json;
    private FileStatsView parsed;

    View(int index, Supplier<String> json) {
      this.index = index;
      this.json = json;
    }

    @Override
    public Optional<Long> numRecords() {
      return states[index] == RECORD_COUNT ? Optional.of(numRecords[index]) : Optional.empty();
    }

    @Override
    public Optional<Long> nullCount(String column) {
      Column c = column(column);
      return c != null && c.hasNullCount[index] ? Optional.of(c.nullCount[index]) : Optional.empty();
    }

    @Override
    public Optional<JsonNode> minValue(String column) {
      return bound(column, false);
    }

    @Override
    public Optional<JsonNode> maxValue(String column) {
      return bound(column, true);
    }

    private Optional<JsonNode> bound(String column, boolean upper) {
      Column c = column(column);
      if (c == null) {
        return Optional.empty();
      }
      Optional<JsonNode> value = (upper ? c.max : c.min).node(index);
      if (value != null) {
        return value;
      }
      return upper ? parsed().maxValue(column) : parsed().minValue(column);
    }

    @Override
    public boolean hasLongBounds(String column) {
      Column c = column(column);
      return c != null && c.min.kinds[index] == INT && c.max.kinds[index] == INT;
    }

    @Override
    public long minLong(String column) {
      return bounds(column).min.longs[index];
    }

    @Override
    public long maxLong(String column) {
      return bounds(column).max.longs[index];
    }

    private Column bounds(String column) {
      if (!hasLongBounds(column)) {
        throw new IllegalStateException("no long bounds of column " + column);
      }
      return column(column);
    }

    private FileStatsView parsed() {
      if (parsed == null) {
        try {
          parsed = FileStatsJson.parse(json.get(), "file image");
        } catch (RuntimeException e) {
          parsed = FileStats.EMPTY;
        }
      }
      return parsed;
    }
  }
}
