package io.deltasql.core.json;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.Action;
import java.util.Objects;
import java.util.Optional;

/**
 * One Delta action as one line of newline-delimited JSON ({@code {"add":{...}}}).
 *
 * <p>Reading follows PROTOCOL.md: a line whose keys are all unknown (a newer action) is empty,
 * unknown fields inside a known action are ignored, and anything else that is wrong (not JSON,
 * not an object, two actions in one line, a required field missing or of the wrong type) is a
 * {@code DATA_CORRUPTED} (XX001) {@link io.deltasql.core.errors.DeltaException} whose message
 * names the action, the field and the caller's {@code source}. Writing gives the canonical
 * single-line form, fields in the order Delta's reference implementation writes them.
 */
public final class ActionJson {
  private ActionJson() {}

  /**
   * Parses one log line.
   *
   * @param line the JSON text of the line, without its newline
   * @param source where the line comes from, for errors, e.g.
   *     {@code ".../_delta_log/00000000000000000003.json line 2"}
   * @return the action, or empty if the line holds only actions this version does not know
   */
  public static Optional<Action> parse(String line, String source) {
    Objects.requireNonNull(line, "line");
    Objects.requireNonNull(source, "source");
    return ActionParser.parse(JsonSupport.readTree(line, source), source);
  }

  /** Parses the log line held in {@code bytes[offset, offset + length)} (UTF-8). */
  public static Optional<Action> parse(byte[] bytes, int offset, int length, String source) {
    Objects.requireNonNull(bytes, "bytes");
    Objects.requireNonNull(source, "source");
    return ActionParser.parse(JsonSupport.readTree(bytes, offset, length, source), source);
  }

  /**
   * Parses an already-read line object, such as one element of a {@code _last_checkpoint}'s
   * {@code v2Checkpoint.nonFileActions}.
   */
  public static Optional<Action> parse(JsonNode lineObject, String source) {
    Objects.requireNonNull(lineObject, "lineObject");
    Objects.requireNonNull(source, "source");
    return ActionParser.parse(lineObject, source);
  }

  /** The canonical single-line JSON of {@code action}, without a newline. */
  public static String write(Action action) {
    Objects.requireNonNull(action, "action");
    return JsonSupport.writeString(g -> ActionWriter.write(g, action));
  }
}
