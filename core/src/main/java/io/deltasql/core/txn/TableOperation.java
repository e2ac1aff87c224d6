package io.deltasql.core.txn;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The operation a statement performed on a table, as Delta's {@code commitInfo} records
 * it: a name such as {@code WRITE}, {@code DELETE} or {@code MERGE}, and parameters whose
 * values are strings (JSON-encoded where structured, as Delta writes them).
 *
 * @param name the operation name, not blank
 * @param parameters the operation parameters, in insertion order; no null keys or values
 */
public record TableOperation(String name, Map<String, String> parameters) {
  /** The operation of a statement that did not name one: a plain write. */
  public static final TableOperation WRITE = new TableOperation("WRITE", Map.of());

  public TableOperation {
    Checks.notNull(name, "operation name");
    if (name.isBlank()) {
      throw TxnErrors.invalidArgument("the operation name is blank; use e.g. WRITE, DELETE or MERGE");
    }
    Checks.notNull(parameters, "operation parameters");
    Map<String, String> copy = new LinkedHashMap<>();
    for (Map.Entry<String, String> e : parameters.entrySet()) {
      copy.put(Checks.notNull(e.getKey(), "an operation parameter name"),
          Checks.notNull(e.getValue(), "operation parameter '" + e.getKey() + "'"));
    }
    parameters = copy.isEmpty() ? Map.of() : Collections.unmodifiableMap(copy);
  }

  /** An operation without parameters. */
  public static TableOperation of(String name) {
    return new TableOperation(name, Map.of());
  }
}
