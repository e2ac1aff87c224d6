package io.deltasql.core.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code commitInfo} action. It is free-form (any engine writes what it likes), so it
 * is kept as the JSON object the log holds. It is a private copy: callers must not
 * modify {@link #values()}.
 */
public record CommitInfo(ObjectNode values) implements Action {
  public static final String IN_COMMIT_TIMESTAMP = "inCommitTimestamp";
  public static final String TIMESTAMP = "timestamp";
  public static final String OPERATION = "operation";
  public static final String OPERATION_PARAMETERS = "operationParameters";
  public static final String TXN_ID = "txnId";

  public CommitInfo {
    Objects.requireNonNull(values, "values");
  }

  /** The in-commit timestamp (feature {@code inCommitTimestamp}), if the writer set one. */
  public Optional<Long> inCommitTimestamp() {
    return longField(IN_COMMIT_TIMESTAMP);
  }

  /** The writer's wall-clock timestamp of the commit, if present. */
  public Optional<Long> timestamp() {
    return longField(TIMESTAMP);
  }

  /** The operation name, e.g. {@code WRITE} or {@code MERGE}. */
  public Optional<String> operation() {
    JsonNode node = values.get(OPERATION);
    return node == null || node.isNull() ? Optional.empty() : Optional.of(node.asText());
  }

  private Optional<Long> longField(String name) {
    JsonNode node = values.get(name);
    return node != null && node.canConvertToLong() ? Optional.of(node.asLong()) : Optional.empty();
  }

  @Override
  public String key() {
    return "commitInfo";
  }
}
