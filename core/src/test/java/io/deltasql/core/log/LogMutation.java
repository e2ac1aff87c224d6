package io.deltasql.core.log;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * One deterministic damage done to a copy of a table's {@code _delta_log}: what the log
 * reader fuzzer generates and what the regression corpus stores, one per line as
 * {@code table kind file a b} ({@link #parse}, {@link #toString}).
 *
 * @param table the shared table copied
 * @param kind what is done
 * @param file which file of the log (sorted paths, modulo their count)
 * @param a the first argument (offset, line, version…), taken modulo what fits
 * @param b the second argument (bit, value kind, variant…)
 */
record LogMutation(String table, Kind kind, int file, long a, long b) {
  enum Kind {
    /** Keep only the first {@code a} bytes of the file. */
    TRUNCATE,
    /** Flip bit {@code b} of byte {@code a}. */
    BIT_FLIP,
    /** Delete the file: a version gap, a missing part or sidecar. */
    DELETE_FILE,
    /** Delete line {@code a} of a JSON file. */
    DELETE_LINE,
    /** Repeat line {@code a} of a JSON file. */
    DUPLICATE_LINE,
    /** Replace value {@code b} of line {@code a} of a JSON file with a value of another JSON type. */
    WRONG_TYPE,
    /** Make the first file path of line {@code a} hostile: {@code ..}, absolute, another scheme. */
    HOSTILE_PATH,
    /** Write a {@code _last_checkpoint} that lies ({@code a}: version, {@code b}: variant). */
    LYING_LAST_CHECKPOINT,
    /** Replace the file with a symbolic link to a file outside the table (same bytes, or junk). */
    SYMLINK_OUT,
    /** Give the file the name of another version ({@code a}): a commit out of place. */
    RENAME_VERSION
  }

  /** Neutral damage: a correct reader that accepts it reads exactly the undamaged table. */
  boolean neutral() {
    return kind == Kind.LYING_LAST_CHECKPOINT || kind == Kind.DUPLICATE_LINE
        || (kind == Kind.SYMLINK_OUT && b % 2 == 0);
  }

  static final List<String> HOSTILE_PATHS = List.of("../../outside.parquet", "/etc/passwd", "file:///etc/passwd",
      "a/../../b.parquet", "%2E%2E/%2E%2E/x.parquet", "s3://bucket/x.parquet", "", "a\u0000b.parquet",
      "..", "./../x.parquet", "C:\\\\Windows\\\\x", "http://[bad");

  private static final ObjectMapper MAPPER = new ObjectMapper();

  static LogMutation parse(String line) {
    String[] f = line.trim().split("\\s+");
    return new LogMutation(f[0], Kind.valueOf(f[1]), Integer.parseInt(f[2]), Long.parseLong(f[3]),
        Long.parseLong(f[4]));
  }

  /** Several mutations of one table: {@code m1 ; m2 ; ...} (the table named by the first). */
  static List<LogMutation> parseAll(String line) {
    List<LogMutation> all = new ArrayList<>();
    for (String part : line.split(";")) {
      all.add(parse(part));
    }
    return all;
  }

  static String format(List<LogMutation> mutations) {
    return String.join(" ; ", mutations.stream().map(LogMutation::toString).toList());
  }

  @Override
  public String toString() {
    return table + " " + kind + " " + file + " " + a + " " + b;
  }

  /** The files of the log the mutation may pick from, sorted (sidecars included). */
  static List<Path> logFiles(Path root) {
    try (Stream<Path> files = Files.walk(root.resolve("_delta_log"))) {
      return files.filter(Files::isRegularFile).sorted().toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Damages the copy at {@code root}; {@code outside} is a folder outside the table for
   * symbolic link targets. Returns a description of what was done.
   */
  String apply(Path root, Path outside) throws IOException {
    Path log = root.resolve("_delta_log");
    if (kind == Kind.LYING_LAST_CHECKPOINT) {
      return lastCheckpoint(log);
    }
    List<Path> files = logFiles(root);
    if (files.isEmpty()) {
      return "no file";
    }
    Path target = files.get(Math.floorMod(file, files.size()));
    byte[] bytes = Files.readAllBytes(target);
    switch (kind) {
      case TRUNCATE -> Files.write(target, java.util.Arrays.copyOf(bytes, (int) Math.floorMod(a, bytes.length + 1)));
      case BIT_FLIP -> {
        if (bytes.length > 0) {
          int at = (int) Math.floorMod(a, bytes.length);
          bytes[at] ^= (byte) (1 << Math.floorMod(b, 8));
          Files.write(target, bytes);
        }
      }
      case DELETE_FILE -> Files.delete(target);
      case DELETE_LINE, DUPLICATE_LINE, WRONG_TYPE, HOSTILE_PATH -> editLines(target, bytes);
      case SYMLINK_OUT -> {
        Path out = outside.resolve(target.getFileName().toString() + "-" + Math.floorMod(b, 1000));
        Files.write(out, b % 2 == 0 ? bytes : "{\"add\":{\"path\":\"junk\"}}\nroot:x:0:0\n".getBytes(
            StandardCharsets.UTF_8));
        Files.delete(target);
        Files.createSymbolicLink(target, out);
      }
      case RENAME_VERSION -> {
        String name = target.getFileName().toString();
        if (name.matches("\\d{20}\\..*")) {
          Path renamed = target.resolveSibling(String.format("%020d", Math.floorMod(a, 30)) + name.substring(20));
          Files.move(target, renamed, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      }
      default -> throw new IllegalStateException(kind.toString());
    }
    return kind + " " + root.relativize(target);
  }

  private String lastCheckpoint(Path log) throws IOException {
    long version = Math.floorMod(a, 40);
    String content = switch ((int) Math.floorMod(b, 6)) {
      case 0 -> "{\"version\":" + version + ",\"size\":3}";
      case 1 -> "{\"version\":" + version + ",\"size\":-1,\"parts\":" + (b % 7) + "}";
      case 2 -> "{\"version\":\"" + version + "\"}";
      case 3 -> "[1,2,3]";
      case 4 -> "";
      default -> "{\"version\":" + Long.MAX_VALUE + ",\"size\":" + Long.MAX_VALUE + "}";
    };
    Files.writeString(log.resolve("_last_checkpoint"), content);
    return "_last_checkpoint " + content;
  }

  private void editLines(Path target, byte[] bytes) throws IOException {
    if (!target.getFileName().toString().endsWith(".json")) {
      return;
    }
    List<String> lines = new ArrayList<>(List.of(new String(bytes, StandardCharsets.UTF_8).split("\n", -1)));
    if (lines.isEmpty()) {
      return;
    }
    int line = (int) Math.floorMod(a, lines.size());
    switch (kind) {
      case DELETE_LINE -> lines.remove(line);
      case DUPLICATE_LINE -> lines.add(line, lines.get(line));
      case WRONG_TYPE, HOSTILE_PATH -> {
        JsonNode node;
        try {
          node = MAPPER.readTree(lines.get(line));
        } catch (IOException e) {
          return;
        }
        if (node == null || !node.isObject()) {
          return;
        }
        if (kind == Kind.WRONG_TYPE) {
          wrongType(node);
        } else if (!hostilePath(node)) {
          return;
        }
        lines.set(line, MAPPER.writeValueAsString(node));
      }
      default -> throw new IllegalStateException(kind.toString());
    }
    Files.writeString(target, String.join("\n", lines));
  }

  /** Replaces value number {@code b} (depth first) with one of another type. */
  private void wrongType(JsonNode root) {
    List<Map.Entry<JsonNode, String>> slots = new ArrayList<>();
    collect(root, slots);
    if (slots.isEmpty()) {
      return;
    }
    Map.Entry<JsonNode, String> slot = slots.get((int) Math.floorMod(b, slots.size()));
    JsonNode old = slot.getKey() instanceof ObjectNode o ? o.get(slot.getValue())
        : ((ArrayNode) slot.getKey()).get(Integer.parseInt(slot.getValue()));
    JsonNodeFactory f = JsonNodeFactory.instance;
    List<JsonNode> others = new ArrayList<>(List.of(f.textNode("x"), f.numberNode(-1L), f.arrayNode(),
        f.objectNode(), f.nullNode(), f.booleanNode(true), f.numberNode(1.5e300)));
    others.removeIf(n -> n.getNodeType() == old.getNodeType());
    JsonNode replacement = others.get((int) Math.floorMod(a + b, others.size()));
    if (slot.getKey() instanceof ObjectNode o) {
      o.set(slot.getValue(), replacement);
    } else {
      ((ArrayNode) slot.getKey()).set(Integer.parseInt(slot.getValue()), replacement);
    }
  }

  private static void collect(JsonNode node, List<Map.Entry<JsonNode, String>> slots) {
    if (node instanceof ObjectNode o) {
      Iterator<String> names = o.fieldNames();
      while (names.hasNext()) {
        String name = names.next();
        slots.add(Map.entry(o, name));
        collect(o.get(name), slots);
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        slots.add(Map.entry(array, String.valueOf(i)));
        collect(array.get(i), slots);
      }
    }
  }

  private boolean hostilePath(JsonNode root) {
    for (String action : List.of("add", "remove", "cdc")) {
      JsonNode body = root.get(action);
      if (body instanceof ObjectNode o && o.has("path")) {
        o.put("path", HOSTILE_PATHS.get((int) Math.floorMod(b, HOSTILE_PATHS.size())));
        return true;
      }
    }
    return false;
  }
}
