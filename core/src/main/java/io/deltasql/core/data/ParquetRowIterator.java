package io.deltasql.core.data;

import io.deltasql.core.errors.DeltaException;
import java.io.IOException;
import java.util.List;
import java.util.NoSuchElementException;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.metadata.BlockMetaData;
import org.apache.parquet.io.ColumnIOFactory;
import org.apache.parquet.io.MessageColumnIO;
import org.apache.parquet.io.RecordReader;
import org.apache.parquet.schema.MessageType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams the live rows of one open Parquet file: row group by row group (skipping those the
 * predicate rules out), one record at a time, leaving out the rows of the deletion vector by
 * their index in the file. A flat projection is read by a {@link FlatRowGroupReader}, which
 * also leaves out the records its {@link RowFilter} rules out before decoding the rest of them
 * (runs of them at once);
 * any other through parquet's record assembly. Closes the file when exhausted or closed.
 */
final class ParquetRowIterator implements RowIterator {
  private static final Logger LOG = LoggerFactory.getLogger(ParquetRowIterator.class);

  private final String path;
  private final ParquetFileReader reader;
  private final MessageColumnIO columnIO;
  private final RowMaterializer materializer;
  private final RowAssembler assembler;
  private final DeletionVector deleted;
  private final boolean anyDeleted;
  private final DataSkipping skipping;
  private final Flat flat;
  private final List<BlockMetaData> blocks;
  private int nextBlock;
  private long rowIndex;
  private long remainingInBlock;
  private RecordReader<Object[]> records;
  private FlatRowGroupReader flatRecords;
  private Object[] next;
  /** Whether the flat reader's last record was kept (then the next is read without looking for a run ruled out). */
  private boolean keptLast;
  private boolean closed;

  ParquetRowIterator(String path, ParquetFileReader reader, MessageType fileSchema,
      MessageType requested, RowMaterializer materializer, RowAssembler assembler,
      DeletionVector deleted, DataSkipping skipping, Flat flat) {
    this.path = path;
    this.reader = reader;
    this.flat = flat;
    this.columnIO = requested == null || flat != null ? null
        : new ColumnIOFactory().getColumnIO(requested, fileSchema);
    this.materializer = materializer;
    this.assembler = assembler;
    this.deleted = deleted;
    this.anyDeleted = deleted.cardinality() > 0;
    this.skipping = skipping;
    this.blocks = reader.getRowGroups();
  }

  @Override
  public boolean hasNext() {
    while (next == null) {
      if (closed) {
        return false;
      }
      try {
        if (remainingInBlock == 0 && !nextBlock()) {
          close();
          return false;
        }
        if (flatRecords != null && !keptLast) {
          // After a record ruled out, the next ones are likely to be too: pass over their run.
          int ruledOut = flatRecords.skipRuledOut(remainingInBlock);
          if (ruledOut > 0) {
            rowIndex += ruledOut;
            remainingInBlock -= ruledOut;
            continue;
          }
        }
        long index = rowIndex++;
        remainingInBlock--;
        if (flatRecords != null) {
          keptLast = false;
          if (anyDeleted && deleted.contains(index)) {
            flatRecords.skip();
          } else if (flatRecords.read()) {
            next = assembler.assemble(flatRecords.row());
            keptLast = true;
          }
          continue;
        }
        Object[] fileRow = records == null ? null : records.read();
        if (!anyDeleted || !deleted.contains(index)) {
          next = assembler.assemble(fileRow);
        }
      } catch (DeltaException e) {
        closeQuietly(e);
        throw e;
      } catch (IOException | RuntimeException e) {
        closeQuietly(e);
        throw DataErrors.corruptDataFile(path, "row " + rowIndex + ": " + e, e);
      }
    }
    return true;
  }

  @Override
  public Object[] next() {
    if (!hasNext()) {
      throw new NoSuchElementException("no more rows in " + path);
    }
    Object[] row = next;
    next = null;
    return row;
  }

  /** Moves to the next row group that may match; false at the end of the file. */
  private boolean nextBlock() throws IOException {
    while (nextBlock < blocks.size()) {
      BlockMetaData block = blocks.get(nextBlock++);
      long start = rowIndex;
      if (skipping != null && !skipping.mightMatch(block)) {
        LOG.debug("skipped row group file={} rows={}", path, block.getRowCount());
        reader.skipNextRowGroup();
        rowIndex = start + block.getRowCount();
        continue;
      }
      if (block.getRowCount() == 0) {
        reader.skipNextRowGroup();
        continue;
      }
      if (flat != null) {
        flatRecords = new FlatRowGroupReader(reader.readNextRowGroup(), flat.requested, flat.createdBy,
            flat.decoders, flat.filter);
      } else if (columnIO == null) {
        reader.skipNextRowGroup();
        records = null;
      } else {
        PageReadStore pages = reader.readNextRowGroup();
        records = columnIO.getRecordReader(pages, materializer);
      }
      remainingInBlock = block.getRowCount();
      return true;
    }
    return false;
  }

  /**
   * How to read a flat projection.
   *
   * @param decoders the decoders of {@code requested}'s columns, in order
   * @param filter what rules records out, over positions of {@code requested}; or null
   */
  record Flat(MessageType requested, String createdBy, ValueDecoder[] decoders, RowFilter filter) {}

  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    try {
      reader.close();
    } catch (IOException e) {
      throw DataErrors.corruptDataFile(path, "closing failed: " + e.getMessage(), e);
    }
  }

  private void closeQuietly(Exception failure) {
    try {
      close();
    } catch (RuntimeException e) {
      failure.addSuppressed(e);
    }
  }
}
