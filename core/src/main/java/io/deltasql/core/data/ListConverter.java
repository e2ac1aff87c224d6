package io.deltasql.core.data;

import io.deltasql.core.types.ArrayType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.schema.GroupType;

/** Assembles a Parquet list as an unmodifiable {@link List}; null elements stay null. */
final class ListConverter extends GroupConverter {
  private final Converter repeated;
  private final Consumer<Object> sink;
  private List<Object> elements;
  /** The element of the current repetition of a three-level list (null until one is read). */
  private Object pending;

  ListConverter(ArrayType type, GroupType file, FileColumns columns, String column,
      Consumer<Object> sink) {
    this.sink = sink;
    FileColumns.ListShape shape = FileColumns.listShape(file)
        .orElseThrow(() -> columns.mismatch(type, file, column));
    String path = column + ".element";
    if (shape.twoLevel()) {
      this.repeated = ValueConverters.create(type.elementType(), shape.repeated(), columns, path,
          value -> elements.add(value));
    } else {
      this.repeated = new ElementConverter(ValueConverters.create(type.elementType(),
          shape.element(), columns, path, value -> pending = value));
    }
  }

  @Override
  public Converter getConverter(int fieldIndex) {
    return repeated;
  }

  @Override
  public void start() {
    elements = new ArrayList<>();
  }

  @Override
  public void end() {
    sink.accept(Collections.unmodifiableList(elements));
  }

  /** The repeated group of a three-level list: one element, possibly null, per repetition. */
  private final class ElementConverter extends GroupConverter {
    private final Converter element;

    ElementConverter(Converter element) {
      this.element = element;
    }

    @Override
    public Converter getConverter(int fieldIndex) {
      return element;
    }

    @Override
    public void start() {
      pending = null;
    }

    @Override
    public void end() {
      elements.add(pending);
    }
  }
}
