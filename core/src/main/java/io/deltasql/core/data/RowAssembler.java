package io.deltasql.core.data;

/**
 * Builds an output row from the columns read from the file and the file's partition values, in
 * the projection's order; a column the file does not store is null.
 */
final class RowAssembler {
  private final int[] projection;
  private final int[] slots;
  private final Object[] partitionValues;

  /**
   * @param projection schema indexes of the output columns
   * @param slots for each schema index, its position in a file row, or -1
   * @param partitionValues partition values by schema index
   */
  RowAssembler(int[] projection, int[] slots, Object[] partitionValues) {
    this.projection = projection;
    this.slots = slots;
    this.partitionValues = partitionValues;
  }

  Object[] assemble(Object[] fileRow) {
    Object[] row = new Object[projection.length];
    for (int i = 0; i < projection.length; i++) {
      int index = projection[i];
      int slot = slots[index];
      row[i] = slot >= 0 ? fileRow[slot] : partitionValues[index];
    }
    return row;
  }
}
