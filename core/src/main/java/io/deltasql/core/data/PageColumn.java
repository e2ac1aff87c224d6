package io.deltasql.core.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.CorruptDeltaByteArrays;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.bytes.BytesUtils;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.Dictionary;
import org.apache.parquet.column.Encoding;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.page.DataPage;
import org.apache.parquet.column.page.DataPageV1;
import org.apache.parquet.column.page.DataPageV2;
import org.apache.parquet.column.page.DictionaryPage;
import org.apache.parquet.column.page.PageReader;
import org.apache.parquet.column.values.RequiresPreviousReader;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.column.values.bitpacking.BytePacker;
import org.apache.parquet.column.values.bitpacking.Packer;
import org.apache.parquet.io.api.Binary;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;

/**
 * One flat (not repeated) column of a row group, read a page at a time: each data page's
 * definition levels and values are decoded in bulk into primitive arrays (dictionary ids as
 * {@code int[]}, plain numbers as {@code long[]}, {@code int[]} or {@code double[]}), then handed
 * out one record at a time. A value is turned into its Java value only when {@link #read} asks
 * for it; {@link #skip} moves past a record without decoding anything. Dictionary entries are
 * decoded once per row group.
 *
 * <p>The run-length/bit-packed hybrid (definition levels, dictionary ids) and plain fixed-width
 * numbers are decoded here; other value encodings through parquet's own {@link ValuesReader},
 * still a page at a time.
 */
final class PageColumn {
  private static final Object[] NO_OBJECTS = new Object[0];

  private final PageReader pages;
  private final ColumnDescriptor column;
  private final ValueDecoder decoder;
  private final String createdBy;
  private final PrimitiveTypeName physical;
  private final int maxDefinitionLevel;
  private final int definitionBitWidth;
  /** The decoded dictionary entries, or null when the chunk has no dictionary page. */
  private final Object[] dictionary;

  /** Records in the current page and the next one to hand out. */
  private int count;
  private int position;
  /** The next non-null value of the current page. */
  private int valueIndex;
  private boolean allDefined;
  private boolean dictionaryEncoded;
  private int[] definitions = new int[0];
  private int[] ints = new int[0];
  private long[] longs = new long[0];
  private double[] doubles = new double[0];
  private Binary[] binaries = new Binary[0];
  private ValuesReader previousReader;
  /** Whether the next record's value was decoded by {@link #peek}, and that value. */
  private boolean peeked;
  private Object peekedValue;

  PageColumn(PageReader pages, ColumnDescriptor column, ValueDecoder decoder, String createdBy) {
    this(pages, column, decoder, createdBy, null);
  }

  /**
   * A column that takes over the arrays of {@code previous}, a column of an earlier row group
   * (or file) that is done with, so that a reader going from row group to row group does not
   * allocate them anew; null for none.
   */
  PageColumn(PageReader pages, ColumnDescriptor column, ValueDecoder decoder, String createdBy,
      PageColumn previous) {
    if (previous != null) {
      definitions = previous.definitions;
      ints = previous.ints;
      longs = previous.longs;
      doubles = previous.doubles;
    }
    this.pages = pages;
    this.column = column;
    this.decoder = decoder;
    this.createdBy = createdBy;
    this.physical = column.getPrimitiveType().getPrimitiveTypeName();
    this.maxDefinitionLevel = column.getMaxDefinitionLevel();
    this.definitionBitWidth = BytesUtils.getWidthFromMaxInt(maxDefinitionLevel);
    this.dictionary = dictionary(pages.readDictionaryPage());
  }

  private Object[] dictionary(DictionaryPage page) {
    if (page == null) {
      return null;
    }
    try {
      Dictionary values = page.getEncoding().initDictionary(column, page);
      Object[] decoded = new Object[values.getMaxId() + 1];
      for (int id = 0; id < decoded.length; id++) {
        decoded[id] = decoder.fromDictionary(values, id);
      }
      return decoded.length == 0 ? NO_OBJECTS : decoded;
    } catch (IOException e) {
      throw new IllegalStateException("dictionary page of " + column + ": " + e, e);
    }
  }

  /** The next record's value (null when not defined), decoded. */
  Object read() {
    if (peeked) {
      Object value = peekedValue;
      skip();
      return value;
    }
    if (isNull()) {
      position++;
      return null;
    }
    Object value = definedValue(valueIndex);
    position++;
    valueIndex++;
    return value;
  }

  /**
   * The next record's value (null when not defined), decoded, without moving past it; a
   * {@link #read} that follows hands out the same value without decoding it again.
   */
  Object peek() {
    if (!peeked) {
      peekedValue = isNull() ? null : definedValue(valueIndex);
      peeked = true;
    }
    return peekedValue;
  }

  private Object definedValue(int k) {
    if (dictionaryEncoded) {
      return dictionary[ints[k]];
    }
    return switch (physical) {
      case INT32 -> decoder.fromInt(ints[k]);
      case INT64 -> decoder.fromLong(longs[k]);
      case FLOAT, DOUBLE -> decoder.fromDouble(doubles[k]);
      case BOOLEAN -> ints[k] != 0;
      case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> decoder.fromBinary(binaries[k]);
    };
  }

  // The next record seen from its page's arrays, without decoding or moving past it: what a
  // filter (ColumnTest) reads, with the run accessors below.

  /** Whether the next record is NULL; reads the next page when the current one is done. */
  boolean isNull() {
    if (position == count) {
      nextPage();
    }
    return !allDefined && definitions[position] != maxDefinitionLevel;
  }

  /** Whether the next record's page holds dictionary ids (see {@link #dictionaryId}). */
  boolean isDictionaryEncoded() {
    return dictionaryEncoded;
  }

  /** The decoded entries of the chunk's dictionary, or null when it has none; not to be changed. */
  Object[] dictionary() {
    return dictionary;
  }

  /** The decoder of this column's values. */
  ValueDecoder decoder() {
    return decoder;
  }

  // Runs of records of the current page, as an Aggregator reads them: record i of the run is
  // the i-th from the next one, value k the k-th value of the page that is not NULL.

  /** The records left in the current page; reads the next page when the current one is done. */
  int remainingInPage() {
    if (position == count) {
      nextPage();
    }
    return count - position;
  }

  /** Whether record {@code i} of the run is NULL (within {@link #remainingInPage}). */
  boolean isNullAhead(int i) {
    return !allDefined && definitions[position + i] != maxDefinitionLevel;
  }

  /** The index of the next record's value among the page's values (valid if it is not NULL). */
  int valueIndex() {
    return valueIndex;
  }

  /** Whether no record of the current page is NULL. */
  boolean isAllDefined() {
    return allDefined;
  }

  /** The values of the current page by index: dictionary ids, INT32 or BOOLEAN values; not to be changed. */
  int[] intValues() {
    return ints;
  }

  /** The values of the current page by index, of a plain INT64 page; not to be changed. */
  long[] longValues() {
    return longs;
  }

  /** The values of the current page by index, of a plain FLOAT or DOUBLE page; not to be changed. */
  double[] doubleValues() {
    return doubles;
  }

  /** Value {@code k} of a dictionary-encoded page: its dictionary id. */
  int dictionaryIdAt(int k) {
    return ints[k];
  }

  /** Value {@code k} of a plain INT32 (or BOOLEAN) page. */
  int intAt(int k) {
    return ints[k];
  }

  /** Value {@code k} of a plain INT64 page. */
  long longAt(int k) {
    return longs[k];
  }

  /** Value {@code k} of a plain FLOAT (widened) or DOUBLE page. */
  double doubleAt(int k) {
    return doubles[k];
  }

  /** Value {@code k} of the page, decoded. */
  Object valueAt(int k) {
    return definedValue(k);
  }

  /** Moves past {@code n} records of the current page (at most {@link #remainingInPage}). */
  void skipInPage(int n) {
    peeked = false;
    peekedValue = null;
    if (allDefined) {
      valueIndex += n;
    } else {
      int defined = 0;
      for (int i = position; i < position + n; i++) {
        defined += definitions[i] == maxDefinitionLevel ? 1 : 0;
      }
      valueIndex += defined;
    }
    position += n;
  }

  /** Moves past the next record without decoding its value. */
  void skip() {
    if (peeked) {
      peeked = false;
      peekedValue = null;
    }
    if (position == count) {
      nextPage();
    }
    if (allDefined || definitions[position] == maxDefinitionLevel) {
      valueIndex++;
    }
    position++;
  }

  private void nextPage() {
    DataPage page = pages.readPage();
    if (page == null) {
      throw new IllegalStateException("column " + column + " has fewer values than its row group");
    }
    try {
      if (page instanceof DataPageV1 v1) {
        readV1(v1);
      } else {
        readV2((DataPageV2) page);
      }
    } catch (IOException e) {
      throw new IllegalStateException("page of column " + column + ": " + e, e);
    }
    position = 0;
    valueIndex = 0;
  }

  private void readV1(DataPageV1 page) throws IOException {
    int n = page.getValueCount();
    ByteBufferInputStream in = page.getBytes().toInputStream();
    // Repetition levels: a flat column's maximum is 0, stored in no bytes.
    int defined = n;
    if (maxDefinitionLevel > 0) {
      if (page.getDlEncoding() == Encoding.RLE) {
        int length = BytesUtils.readIntLittleEndian(in);
        defined = readDefinitions(in.slice(length), n);
      } else {
        ValuesReader levels = page.getDlEncoding().getValuesReader(column, ValuesType.DEFINITION_LEVEL);
        levels.initFromPage(n, in);
        definitions = capacity(definitions, n);
        defined = 0;
        for (int i = 0; i < n; i++) {
          definitions[i] = levels.readInteger();
          defined += definitions[i] == maxDefinitionLevel ? 1 : 0;
        }
        allDefined = defined == n;
      }
    } else {
      allDefined = true;
    }
    readValues(page.getValueEncoding(), n, defined, in);
    count = n;
  }

  private void readV2(DataPageV2 page) throws IOException {
    int n = page.getValueCount();
    int defined = n;
    if (maxDefinitionLevel > 0) {
      defined = readDefinitions(page.getDefinitionLevels().toByteBuffer(), n);
    } else {
      allDefined = true;
    }
    readValues(page.getDataEncoding(), n, defined, page.getData().toInputStream());
    count = n;
  }

  /** Decodes {@code n} RLE definition levels; returns how many are defined. */
  private int readDefinitions(ByteBuffer levels, int n) {
    definitions = capacity(definitions, n);
    Hybrid.decode(levels, definitionBitWidth, n, definitions);
    int defined = 0;
    for (int i = 0; i < n; i++) {
      defined += definitions[i] == maxDefinitionLevel ? 1 : 0;
    }
    allDefined = defined == n;
    return defined;
  }

  private void readValues(Encoding encoding, int n, int defined, ByteBufferInputStream in)
      throws IOException {
    dictionaryEncoded = encoding.usesDictionary();
    if (dictionaryEncoded) {
      if (dictionary == null) {
        throw new IllegalStateException("column " + column + " has dictionary ids but no dictionary page");
      }
      ByteBuffer ids = in.slice(in.available());
      int bitWidth = defined == 0 ? 0 : ids.get() & 0xFF;
      ints = capacity(ints, defined);
      Hybrid.decode(ids, bitWidth, defined, ints);
      for (int i = 0; i < defined; i++) {
        if (ints[i] < 0 || ints[i] >= dictionary.length) {
          throw new IllegalStateException("column " + column + ": dictionary id " + ints[i]
              + " of a dictionary of " + dictionary.length);
        }
      }
      return;
    }
    if (encoding == Encoding.PLAIN && physical != PrimitiveTypeName.BOOLEAN
        && physical != PrimitiveTypeName.BINARY && physical != PrimitiveTypeName.FIXED_LEN_BYTE_ARRAY
        && physical != PrimitiveTypeName.INT96) {
      ByteBuffer values = in.slice(in.available()).slice().order(ByteOrder.LITTLE_ENDIAN);
      switch (physical) {
        case INT32 -> values.asIntBuffer().get(ints = capacity(ints, defined), 0, defined);
        case INT64 -> values.asLongBuffer().get(longs = capacity(longs, defined), 0, defined);
        case FLOAT -> {
          doubles = capacity(doubles, defined);
          for (int i = 0; i < defined; i++) {
            doubles[i] = values.getFloat(i * 4);
          }
        }
        default -> values.asDoubleBuffer().get(doubles = capacity(doubles, defined), 0, defined);
      }
      return;
    }
    ValuesReader reader = encoding.getValuesReader(column, ValuesType.VALUES);
    if (previousReader != null && reader instanceof RequiresPreviousReader sequential
        && CorruptDeltaByteArrays.requiresSequentialReads(createdBy, encoding)) {
      sequential.setPreviousReader(previousReader);
    }
    reader.initFromPage(n, in);
    previousReader = reader;
    switch (physical) {
      case INT32 -> {
        ints = capacity(ints, defined);
        for (int i = 0; i < defined; i++) {
          ints[i] = reader.readInteger();
        }
      }
      case BOOLEAN -> {
        ints = capacity(ints, defined);
        for (int i = 0; i < defined; i++) {
          ints[i] = reader.readBoolean() ? 1 : 0;
        }
      }
      case INT64 -> {
        longs = capacity(longs, defined);
        for (int i = 0; i < defined; i++) {
          longs[i] = reader.readLong();
        }
      }
      case FLOAT -> {
        doubles = capacity(doubles, defined);
        for (int i = 0; i < defined; i++) {
          doubles[i] = reader.readFloat();
        }
      }
      case DOUBLE -> {
        doubles = capacity(doubles, defined);
        for (int i = 0; i < defined; i++) {
          doubles[i] = reader.readDouble();
        }
      }
      case BINARY, FIXED_LEN_BYTE_ARRAY, INT96 -> {
        if (binaries.length < defined) {
          binaries = new Binary[defined];
        }
        for (int i = 0; i < defined; i++) {
          binaries[i] = reader.readBytes();
        }
      }
    }
  }

  private static int[] capacity(int[] array, int n) {
    // Bit-packed runs are unpacked 8 values at a time: room for a last partial group.
    return array.length >= n + 8 ? array : new int[Math.max(n + 8, array.length * 2)];
  }

  private static long[] capacity(long[] array, int n) {
    return array.length >= n ? array : new long[Math.max(n, array.length * 2)];
  }

  private static double[] capacity(double[] array, int n) {
    return array.length >= n ? array : new double[Math.max(n, array.length * 2)];
  }

  /** Parquet's run-length / bit-packing hybrid encoding of small integers, decoded in bulk. */
  static final class Hybrid {
    /** The packer of each bit width, looked up once (parquet's lookup per call showed in profiles). */
    private static final BytePacker[] PACKERS = new BytePacker[33];

    static {
      for (int width = 0; width < PACKERS.length; width++) {
        PACKERS[width] = Packer.LITTLE_ENDIAN.newBytePacker(width);
      }
    }

    private Hybrid() {}

    /**
     * Decodes {@code n} values from {@code in} into {@code out}, which must have room for
     * {@code n + 8} (a bit-packed group is always unpacked whole).
     */
    static void decode(ByteBuffer in, int bitWidth, int n, int[] out) {
      if (bitWidth < 0 || bitWidth > 32) {
        throw new IllegalStateException("bit width " + bitWidth);
      }
      BytePacker packer = PACKERS[bitWidth];
      int byteWidth = (bitWidth + 7) / 8;
      int i = 0;
      while (i < n) {
        int header = readUnsignedVarInt(in);
        if ((header & 1) == 0) {
          int run = header >>> 1;
          int value = 0;
          for (int b = 0; b < byteWidth; b++) {
            value |= (in.get() & 0xFF) << (8 * b);
          }
          int end = Math.min(n, i + run);
          java.util.Arrays.fill(out, i, end, value);
          i = end;
        } else {
          int groups = header >>> 1;
          for (int g = 0; g < groups && i < n; g++) {
            if (bitWidth == 0) {
              // parquet's width-0 unpacker writes nothing: a reused array would keep stale values
              java.util.Arrays.fill(out, i, i + 8, 0);
            } else if (in.remaining() >= bitWidth) {
              packer.unpack8Values(in, in.position(), out, i);
              in.position(in.position() + bitWidth);
            } else {
              byte[] padded = new byte[bitWidth];
              in.get(padded, 0, in.remaining());
              packer.unpack8Values(padded, 0, out, i);
            }
            i += 8;
          }
        }
      }
    }

    private static int readUnsignedVarInt(ByteBuffer in) {
      int value = 0;
      int shift = 0;
      int b;
      do {
        b = in.get() & 0xFF;
        value |= (b & 0x7F) << shift;
        shift += 7;
      } while ((b & 0x80) != 0 && shift < 35);
      return value;
    }
  }
}
