package io.deltasql.core.txn;

/**
 * Where one staged statement's file actions lie in its table's {@link TableActions}:
 * statement {@code k}'s adds are {@code adds().subList(firstAdd, firstAdd + addCount)},
 * and likewise for removes. Statements keep their staging order; within one statement,
 * removes apply before adds.
 *
 * @param operation what the statement did
 * @param firstAdd index of its first add in {@link TableActions#adds()}
 * @param addCount how many adds it staged
 * @param firstRemove index of its first remove in {@link TableActions#removes()}
 * @param removeCount how many removes it staged
 * @param blindAppend whether it only added data files without reading the table
 */
public record StagedStatement(
    TableOperation operation, int firstAdd, int addCount, int firstRemove, int removeCount,
    boolean blindAppend) {

  public StagedStatement {
    Checks.notNull(operation, "operation");
    if (firstAdd < 0 || addCount < 0 || firstRemove < 0 || removeCount < 0) {
      throw TxnErrors.invalidArgument("statement offsets and counts must not be negative");
    }
  }

  /** This statement placed after {@code adds} adds and {@code removes} removes of earlier statements. */
  StagedStatement shiftedBy(int adds, int removes) {
    return new StagedStatement(operation, firstAdd + adds, addCount, firstRemove + removes, removeCount,
        blindAppend);
  }
}
