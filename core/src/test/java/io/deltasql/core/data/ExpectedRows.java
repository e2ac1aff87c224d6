package io.deltasql.core.data;

import io.deltasql.core.types.ArrayType;
import io.deltasql.core.types.DataType;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.MapType;
import io.deltasql.core.types.PrimitiveType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.LocalInputFile;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Type;

/**
 * Reads a shared table's {@code expected/} rows (Spark-written Parquet, columns by logical name)
 * with parquet-java's example {@link Group} API, independently of the reader under test, into
 * the package's Java value mapping.
 */
final class ExpectedRows {
  private ExpectedRows() {}

  static List<Object[]> read(Path expectedDir, StructType schema) {
    List<Object[]> rows = new ArrayList<>();
    try (Stream<Path> files = Files.list(expectedDir)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(".parquet")).sorted()
          .toList()) {
        readFile(file, schema, rows);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return rows;
  }

  private static void readFile(Path file, StructType schema, List<Object[]> rows)
      throws IOException {
    try (ParquetFileReader reader = ParquetFileReader.open(new LocalInputFile(file))) {
      MessageType fileSchema = reader.getFooter().getFileMetaData().getSchema();
      PageReadStore pages;
      while ((pages = reader.readNextRowGroup()) != null) {
        RecordReader<Group> records = new ColumnIOFactory().getColumnIO(fileSchema)
            .getRecordReader(pages, new GroupRecordConverter(fileSchema));
        for (long i = 0; i < pages.getRowCount(); i++) {
          rows.add(struct(schema, records.read()));
        }
      }
    }
  }

  private static Object[] struct(StructType type, Group group) {
    Object[] values = new Object[type.fields().size()];
    GroupType groupType = group.getType();
    for (int i = 0; i < values.length; i++) {
      StructField field = type.fields().get(i);
      int index = indexOf(groupType, field.name());
      if (index >= 0 && group.getFieldRepetitionCount(index) > 0) {
        values[i] = value(field.type(), group, index, 0);
      }
    }
    return values;
  }

  private static int indexOf(GroupType type, String name) {
    for (int i = 0; i < type.getFieldCount(); i++) {
      if (type.getFieldName(i).toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    return -1;
  }

  private static Object value(DataType type, Group group, int field, int index) {
    Type fileType = group.getType().getType(field);
    if (type instanceof StructType struct) {
      return struct(struct, group.getGroup(field, index));
    }
    if (type instanceof ArrayType array) {
      Group list = group.getGroup(field, index);
      List<Object> elements = new ArrayList<>();
      for (int i = 0; i < list.getFieldRepetitionCount(0); i++) {
        Group element = list.getGroup(0, i);
        elements.add(element.getFieldRepetitionCount(0) == 0 ? null
            : value(array.elementType(), element, 0, 0));
      }
      return Collections.unmodifiableList(elements);
    }
    if (type instanceof MapType map) {
      Group entries = group.getGroup(field, index);
      Map<Object, Object> values = new LinkedHashMap<>();
      for (int i = 0; i < entries.getFieldRepetitionCount(0); i++) {
        Group entry = entries.getGroup(0, i);
        Object key = value(map.keyType(), entry, 0, 0);
        values.put(key, entry.getFieldRepetitionCount(1) == 0 ? null
            : value(map.valueType(), entry, 1, 0));
      }
      return values;
    }
    if (type instanceof DecimalType decimal) {
      int scale = ((LogicalTypeAnnotation.DecimalLogicalTypeAnnotation)
          fileType.getLogicalTypeAnnotation()).getScale();
      BigInteger unscaled = switch (fileType.asPrimitiveType().getPrimitiveTypeName()) {
        case INT32 -> BigInteger.valueOf(group.getInteger(field, index));
        case INT64 -> BigInteger.valueOf(group.getLong(field, index));
        default -> new BigInteger(group.getBinary(field, index).getBytes());
      };
      return new BigDecimal(unscaled, scale).setScale(decimal.scale());
    }
    return switch ((PrimitiveType) type) {
      case STRING -> group.getString(field, index);
      case LONG -> group.getLong(field, index);
      case INTEGER -> group.getInteger(field, index);
      case SHORT -> (short) group.getInteger(field, index);
      case BYTE -> (byte) group.getInteger(field, index);
      case FLOAT -> group.getFloat(field, index);
      case DOUBLE -> group.getDouble(field, index);
      case BOOLEAN -> group.getBoolean(field, index);
      case BINARY -> group.getBinary(field, index).getBytes();
      case DATE -> LocalDate.ofEpochDay(group.getInteger(field, index));
      case TIMESTAMP -> Instant.EPOCH.plus(micros(fileType, group, field, index), ChronoUnit.MICROS);
      case TIMESTAMP_NTZ -> LocalDateTime.ofEpochSecond(0, 0, ZoneOffset.UTC)
          .plus(micros(fileType, group, field, index), ChronoUnit.MICROS);
      case VARIANT -> throw new IllegalArgumentException("variant");
    };
  }

  private static long micros(Type fileType, Group group, int field, int index) {
    if (fileType.asPrimitiveType().getPrimitiveTypeName() == PrimitiveTypeName.INT96) {
      ByteBuffer bytes = group.getInt96(field, index).toByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
      long nanos = bytes.getLong();
      long day = bytes.getInt();
      return (day - 2_440_588L) * 86_400_000_000L + nanos / 1000;
    }
    long value = group.getLong(field, index);
    if (fileType.getLogicalTypeAnnotation()
        instanceof LogicalTypeAnnotation.TimestampLogicalTypeAnnotation ts) {
      return switch (ts.getUnit()) {
        case MILLIS -> value * 1000;
        case MICROS -> value;
        case NANOS -> value / 1000;
      };
    }
    return value;
  }
}
