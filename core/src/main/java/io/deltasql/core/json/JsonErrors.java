package io.deltasql.core.json;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Every error of the JSON layer, in one place. Each names the input at fault (the source the
 * caller described, e.g. {@code ".../_delta_log/00000000000000000003.json line 2"}), what is
 * wrong with it, and what to do.
 */
final class JsonErrors {
  private static final String HINT = " The Delta log is corrupt or was written by a faulty writer:"
      + " restore the file from a backup or ask the table's writer to repair it.";
  private static final int EXCERPT_LENGTH = 60;
  /** Jackson's placeholder for the input in locations: noise in our messages. */
  private static final Pattern REDACTED_SOURCE = Pattern.compile("\\[Source: [^;\\]]*; ");

  private JsonErrors() {}

  static DeltaException corrupt(String source, String problem) {
    return new DeltaException(SqlState.DATA_CORRUPTED, source + ": " + problem + "." + HINT);
  }

  static DeltaException notJson(String source, JsonProcessingException e) {
    JsonLocation at = e.getLocation();
    String detail = REDACTED_SOURCE.matcher(e.getOriginalMessage()).replaceAll("[");
    String where = at == null ? "" : " at column " + at.getColumnNr()
        + (at.getLineNr() > 1 ? " of line " + at.getLineNr() : "");
    return new DeltaException(SqlState.DATA_CORRUPTED,
        source + ": not valid JSON" + where + " (" + detail + ")." + HINT, e);
  }

  /** A required field is absent; {@code owner} is e.g. {@code "action 'add'"}. */
  static DeltaException missingField(String source, String owner, String field) {
    return corrupt(source, owner + " is missing required field '" + field + "'");
  }

  static DeltaException wrongType(
      String source, String owner, String field, String expected, JsonNode actual) {
    return corrupt(source, owner + " field '" + field + "' must be " + expected
        + ", found " + describe(actual));
  }

  static DeltaException invalidValue(String source, String owner, String field, String problem) {
    return corrupt(source, owner + " field '" + field + "' " + problem);
  }

  /** A short description of a JSON value: its kind and the start of its text. */
  static String describe(JsonNode node) {
    String kind = node.getNodeType().name().toLowerCase(Locale.ROOT);
    String text = JsonSupport.write(node);
    if (text.length() > EXCERPT_LENGTH) {
      text = text.substring(0, EXCERPT_LENGTH) + "...";
    }
    return kind + " " + text;
  }
}
