package io.deltasql.core.data;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.types.DataType;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.page.PageReadStore;
import org.apache.parquet.hadoop.metadata.BlockMetaData;

/**
 * Computes an {@link Aggregation} over the live rows of a table's files without building rows:
 * each file's columns are read a page at a time ({@link PageColumn}), and each record is folded
 * into its group's {@link Accumulator}s straight from the pages' arrays. A group column whose
 * page holds dictionary ids finds its group once per dictionary entry, not once per record.
 * Deletion vectors are honoured; partition columns are constant over a file.
 *
 * <p>The result is what SQL's grouped aggregation gives over the rows the files hold, in the
 * order {@link #add} is given the files: sums are computed in that order, record by record (see
 * {@link Aggregation.Function#SUM}). Groups come out in the order they were first seen.
 *
 * <p>Not thread-safe: one aggregation, fed one file at a time.
 */
public final class Aggregator {
  /** The longest run of records folded at once. */
  private static final int MAX_RUN = 4_096;

  private final DataFileReader reader;
  private final Aggregation aggregation;
  /** The columns read, each once: the grouping columns first. */
  private final List<String> columns = new ArrayList<>();
  private final int[] schemaIndexes;
  private final AggregatedColumn[] sources;
  /** For each grouping column, its index in {@link #sources}. */
  private final int[] groupSources;
  private final Accumulator[] accumulators;
  private final Map<Object, Integer> groups = new HashMap<>();
  /** Each group's key, by group number: the value of its one grouping column, or the list of them. */
  private final List<Object> keys = new ArrayList<>();
  /** With one grouping column read from pages: the group of each dictionary entry, or -1. */
  private int[] groupOfEntry = new int[0];
  private Object[] entriesSeen;
  /** The group of each record of the current run, or -1 for a deleted row. */
  private final int[] runGroups = new int[MAX_RUN];
  /** The page columns of the last row group read, whose arrays the next row group's take over. */
  private PageColumn[] donePages = new PageColumn[0];
  /** Whether the one grouping column is constant over the file being read. */
  private boolean constantGroup;
  /** Then the file's group, or -1 until a live record of the file is seen. */
  private int fileGroup = -1;

  /**
   * @throws DeltaException {@code 42703} for an unknown column, {@code 0A000} for a function or
   *     grouping column of a type the aggregator does not compute (see {@link Aggregation#canApply}
   *     and {@link Aggregation#canGroupBy})
   */
  public Aggregator(DataFileReader reader, Aggregation aggregation) {
    this.reader = reader;
    this.aggregation = aggregation;
    TableLayout layout = reader.layout();
    for (String column : aggregation.groupBy()) {
      DataType type = layout.type(layout.requireIndex(column));
      if (!Aggregation.canGroupBy(type)) {
        throw new DeltaException(SqlState.FEATURE_NOT_SUPPORTED, "Cannot aggregate table " + layout.table()
            + " by column '" + column + "' of type " + type.typeName() + " from its files");
      }
      columns.add(column);
    }
    aggregation.calls().forEach(call -> call.column().filter(c -> !columns.contains(c)).ifPresent(columns::add));
    schemaIndexes = columns.stream().mapToInt(layout::requireIndex).toArray();
    sources = new AggregatedColumn[columns.size()];
    for (int i = 0; i < sources.length; i++) {
      sources[i] = new AggregatedColumn();
    }
    groupSources = aggregation.groupBy().stream().mapToInt(columns::indexOf).toArray();
    accumulators = new Accumulator[aggregation.calls().size()];
    for (int i = 0; i < accumulators.length; i++) {
      Aggregation.Call call = aggregation.calls().get(i);
      int source = call.column().map(columns::indexOf).orElse(-1);
      DataType type = source < 0 ? null : layout.type(schemaIndexes[source]);
      if (type != null && !Aggregation.canApply(call.function(), type)) {
        throw new DeltaException(SqlState.FEATURE_NOT_SUPPORTED, "Cannot compute " + call.function() + " of column '"
            + call.column().get() + "' of type " + type.typeName() + " of table " + layout.table() + " from its files");
      }
      accumulators[i] = Accumulator.of(call.function(), source < 0 ? null : sources[source], type);
    }
    if (groupSources.length == 0) {
      group(List.of());
    }
  }

  /**
   * Folds the live rows of {@code file} in.
   *
   * @throws DeltaException as {@link DataFileReader#read(AddFile, List, Predicate)} does;
   *     {@code 22003} when an integer sum exceeds the BIGINT range
   */
  public void add(AddFile file) {
    DataFileReader.FlatFile flat = reader.openFlat(file, columns);
    try (var parquet = flat.reader()) {
      List<ColumnDescriptor> descriptors = flat.requested() == null ? List.of() : flat.requested().getColumns();
      long rowIndex = 0;
      for (BlockMetaData block : flat.reader().getRowGroups()) {
        if (block.getRowCount() == 0 || descriptors.isEmpty()) {
          parquet.skipNextRowGroup();
          bind(flat, new PageColumn[0]);
        } else {
          PageReadStore store = parquet.readNextRowGroup();
          PageColumn[] pages = new PageColumn[descriptors.size()];
          for (int i = 0; i < pages.length; i++) {
            pages[i] = new PageColumn(store.getPageReader(descriptors.get(i)), descriptors.get(i),
                flat.decoders()[i], parquet.getFooter().getFileMetaData().getCreatedBy(),
                i < donePages.length ? donePages[i] : null);
          }
          donePages = pages;
          bind(flat, pages);
        }
        aggregateRowGroup(block.getRowCount(), rowIndex, flat.deleted());
        rowIndex += block.getRowCount();
      }
    } catch (DeltaException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw DataErrors.corruptDataFile(flat.path(), e.toString(), e);
    }
  }

  /** Points the sources at one row group's pages, or at the file's constants. */
  private void bind(DataFileReader.FlatFile flat, PageColumn[] pages) {
    for (int i = 0; i < sources.length; i++) {
      int slot = flat.slots()[schemaIndexes[i]];
      if (slot >= 0 && pages.length > 0) {
        sources[i].onPage(pages[slot]);
      } else {
        sources[i].constant(slot >= 0 ? null : flat.partitionValues()[schemaIndexes[i]]);
      }
    }
    constantGroup = groupSources.length == 1 && sources[groupSources[0]].isConstant();
    fileGroup = -1;
  }

  private void aggregateRowGroup(long rows, long firstIndex, DeletionVector deleted) {
    boolean anyDeleted = deleted.cardinality() > 0;
    PageColumn[] pages = Arrays.stream(sources).filter(s -> !s.isConstant()).map(AggregatedColumn::page)
        .distinct().toArray(PageColumn[]::new);
    long done = 0;
    while (done < rows) {
      int n = (int) Math.min(rows - done, MAX_RUN);
      for (PageColumn page : pages) {
        n = Math.min(n, page.remainingInPage());
      }
      boolean anyLive = true;
      if (anyDeleted) {
        anyLive = false;
        for (int i = 0; i < n; i++) {
          boolean live = !deleted.contains(firstIndex + done + i);
          runGroups[i] = live ? 0 : -1;
          anyLive |= live;
        }
      } else {
        Arrays.fill(runGroups, 0, n, 0);
      }
      if (anyLive) {
        groupsOfRun(n);
      }
      for (Accumulator accumulator : accumulators) {
        accumulator.addRun(runGroups, n);
      }
      for (PageColumn page : pages) {
        page.skipInPage(n);
      }
      done += n;
    }
  }

  /**
   * Sets the groups of the run's {@code n} records in {@link #runGroups}, where it holds 0 (a
   * live row; -1 for a deleted one stays) and at least one record is live.
   */
  private void groupsOfRun(int n) {
    if (groupSources.length == 0) {
      return;
    }
    if (groupSources.length > 1) {
      groupsOfRunByKeys(n);
      return;
    }
    AggregatedColumn column = sources[groupSources[0]];
    if (constantGroup) {
      if (fileGroup < 0) {
        fileGroup = group(column.value(0));
      }
      for (int i = 0; i < n; i++) {
        runGroups[i] = runGroups[i] < 0 ? -1 : fileGroup;
      }
      return;
    }
    int k = column.firstValue();
    Object[] entries = column.dictionary();
    if (column.isDictionaryEncoded() && entries != entriesSeen) {
      entriesSeen = entries;
      groupOfEntry = new int[entries.length];
      Arrays.fill(groupOfEntry, -1);
    }
    int[] ids = column.hasNoNulls() ? column.dictionaryIds() : null;
    if (ids != null) {
      for (int i = 0; i < n; i++) {
        if (runGroups[i] >= 0) {
          runGroups[i] = groupOfEntry(entries, ids[k + i]);
        }
      }
      return;
    }
    for (int i = 0; i < n; i++) {
      boolean live = runGroups[i] >= 0;
      if (column.isNull(i)) {
        runGroups[i] = live ? group(null) : -1;
      } else if (!live) {
        k++;
      } else if (column.isDictionaryEncoded()) {
        runGroups[i] = groupOfEntry(entries, column.dictionaryId(k++));
      } else {
        runGroups[i] = group(column.value(k++));
      }
    }
  }

  /** The group of dictionary entry {@code id} of the grouping column. */
  private int groupOfEntry(Object[] entries, int id) {
    int group = groupOfEntry[id];
    if (group < 0) {
      group = group(entries[id]);
      groupOfEntry[id] = group;
    }
    return group;
  }

  /** {@link #groupsOfRun} with several grouping columns: a group per list of their values. */
  private void groupsOfRunByKeys(int n) {
    int[] next = new int[groupSources.length];
    for (int c = 0; c < next.length; c++) {
      next[c] = sources[groupSources[c]].firstValue();
    }
    for (int i = 0; i < n; i++) {
      Object[] key = new Object[groupSources.length];
      for (int c = 0; c < key.length; c++) {
        AggregatedColumn column = sources[groupSources[c]];
        key[c] = column.isNull(i) ? null : column.value(next[c]++);
      }
      if (runGroups[i] >= 0) {
        runGroups[i] = group(Arrays.asList(key));
      }
    }
  }

  /** The number of the group of {@code key}, a new group if it is the first. */
  private int group(Object key) {
    Integer group = groups.get(key);
    if (group != null) {
      return group;
    }
    int added = keys.size();
    groups.put(key, added);
    keys.add(key);
    for (Accumulator accumulator : accumulators) {
      accumulator.ensure(added + 1);
    }
    return added;
  }

  /**
   * The result rows: each group's values (Java values of the columns' types) followed by its
   * aggregate results.
   */
  public List<Object[]> rows() {
    int width = groupSources.length;
    List<Object[]> rows = new ArrayList<>(keys.size());
    for (int group = 0; group < keys.size(); group++) {
      Object[] row = new Object[width + accumulators.length];
      if (width == 1) {
        row[0] = keys.get(group);
      } else if (width > 1) {
        List<?> values = (List<?>) keys.get(group);
        for (int i = 0; i < width; i++) {
          row[i] = values.get(i);
        }
      }
      for (int i = 0; i < accumulators.length; i++) {
        row[width + i] = accumulators[i].result(group);
      }
      rows.add(row);
    }
    return rows;
  }

  /** What this aggregator computes. */
  public Aggregation aggregation() {
    return aggregation;
  }
}
