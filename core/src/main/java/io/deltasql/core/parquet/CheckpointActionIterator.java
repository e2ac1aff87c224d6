package io.deltasql.core.parquet;

import io.deltasql.core.actions.Action;
import io.deltasql.core.errors.DeltaException;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.convert.GroupRecordConverter;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;

/**
 * Streams the actions of one open checkpoint file, one row group in memory at a time and
 * one decoded row at a time. Closes the file when exhausted or closed.
 */
final class CheckpointActionIterator implements Iterator<Action>, AutoCloseable {
  private final String path;
  private final ParquetFileReader reader;
  private final MessageType schema;
  private final MessageColumnIO columnIO;
  private final ActionDecoder decoder;
  private final ArrayDeque<Action> pending = new ArrayDeque<>(2);
  private RecordReader<Group> records;
  private long remainingInRowGroup;
  private long row;
  private boolean closed;

  CheckpointActionIterator(String path, ParquetFileReader reader, MessageType fileSchema,
      MessageType schema, ActionDecoder decoder) {
    this.path = path;
    this.reader = reader;
    this.schema = schema;
    this.columnIO = new ColumnIOFactory().getColumnIO(schema, fileSchema);
    this.decoder = decoder;
  }

  @Override
  public boolean hasNext() {
    while (pending.isEmpty()) {
      if (closed || !readRow()) {
        close();
        return false;
      }
    }
    return true;
  }

  @Override
  public Action next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more actions in " + path);
    }
    return pending.poll();
  }

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      reader.close();
    } catch (IOException e) {
      throw CheckpointErrors.unreadable(path, row, e);
    }
  }

  /** Reads and decodes the next row; false at the end of the file. */
  private boolean readRow() {
    Group group;
    try {
      while (remainingInRowGroup == 0) {
        PageReadStore pages = reader.readNextRowGroup();
        if (pages == null) {
          return false;
        }
        remainingInRowGroup = pages.getRowCount();
        records = columnIO.getRecordReader(pages, new GroupRecordConverter(schema));
      }
      remainingInRowGroup--;
      row++;
      group = records.read();
    } catch (DeltaException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw CheckpointErrors.unreadable(path, row, e);
    }
    if (group != null) {
      try {
        decoder.decode(group, pending::add);
      } catch (RuntimeException e) {
        throw CheckpointErrors.badRow(path, row, e);
      }
    }
    return true;
  }
}
