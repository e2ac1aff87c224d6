package io.deltasql.core.data;

import io.deltasql.core.actions.Metadata;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.Locale;

/**
 * How a table's columns are found in its data files (PROTOCOL.md, "Column Mapping"): by name,
 * by physical name, or by Parquet field id. Read from the table property
 * {@code delta.columnMapping.mode}.
 */
public enum ColumnMappingMode {
  /** Columns are stored under their names. */
  NONE,
  /** Columns are stored under their physical names ({@code delta.columnMapping.physicalName}). */
  NAME,
  /** Columns are found by Parquet field id ({@code delta.columnMapping.id}). */
  ID;

  /** The table property that holds the mode. */
  public static final String PROPERTY = "delta.columnMapping.mode";

  /** The mode of a table; absent means {@link #NONE}. */
  public static ColumnMappingMode of(Metadata metadata) {
    String mode = metadata.configuration().get(PROPERTY);
    if (mode == null) {
      return NONE;
    }
    return switch (mode.toLowerCase(Locale.ROOT)) {
      case "none" -> NONE;
      case "name" -> NAME;
      case "id" -> ID;
      default -> throw new DeltaException(SqlState.FEATURE_NOT_SUPPORTED,
          "Table property " + PROPERTY + "='" + mode + "' is not a column mapping mode deltasql"
              + " knows (none, name, id)");
    };
  }
}
