package io.deltasql.core.parquet;

/**
 * A checkpoint row that cannot be an action (a required field is null, a field has the
 * wrong type). Internal: the reader turns it into a {@code DeltaException} naming the file
 * and the row.
 */
final class MalformedActionException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  MalformedActionException(String message) {
    super(message);
  }
}
