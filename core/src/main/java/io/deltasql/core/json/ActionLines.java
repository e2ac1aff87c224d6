package io.deltasql.core.json;

import io.deltasql.core.actions.Action;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Newline-delimited JSON files of actions (commits, V2 checkpoints in JSON): split into lines,
 * skip blank ones, parse each with a {@code "<file> line <n>"} source; and the reverse.
 */
final class ActionLines {
  private ActionLines() {}

  static List<Action> parse(byte[] content, String fileName) {
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(fileName, "fileName");
    List<Action> actions = new ArrayList<>();
    int lineNumber = 0;
    int start = 0;
    while (start <= content.length) {
      int end = indexOf(content, (byte) '\n', start);
      lineNumber++;
      if (!isBlank(content, start, end)) {
        String source = fileName + " line " + lineNumber;
        ActionJson.parse(content, start, end - start, source).ifPresent(actions::add);
      }
      start = end + 1;
    }
    return List.copyOf(actions);
  }

  private static int indexOf(byte[] content, byte b, int from) {
    for (int i = from; i < content.length; i++) {
      if (content[i] == b) {
        return i;
      }
    }
    return content.length;
  }

  private static boolean isBlank(byte[] content, int start, int end) {
    for (int i = start; i < end; i++) {
      byte b = content[i];
      if (b != ' ' && b != '\t' && b != '\r') {
        return false;
      }
    }
    return true;
  }

  static byte[] write(List<? extends Action> actions) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * actions.size());
    JsonSupport.writeBytes(out, g -> {
      for (Action action : actions) {
        ActionWriter.write(g, action);
        g.writeRaw('\n');
      }
    });
    return out.toByteArray();
  }
}
