package io.deltasql.tck;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The damages the bad-input corpus does to a copied table's {@code _delta_log} before importing
 * it (setup lines of {@code logs.cases}). {@code FILE} is a name in {@code _delta_log}, where
 * {@code vN} abbreviates the 20-digit version ({@code v3.json}, {@code v10.checkpoint.parquet}):
 *
 * <ul>
 *   <li>{@code truncate FILE N}: keep the first N bytes; {@code -N}: drop the last N bytes;
 *       {@code half}: keep the first half;
 *   <li>{@code garbage FILE}: overwrite 16 bytes in the middle with bytes that are neither JSON
 *       nor Parquet;
 *   <li>{@code delete FILE}; {@code rename FILE NEWFILE};
 *   <li>{@code write FILE TEXT} and {@code append FILE TEXT} ({@code \n} is a new line).
 * </ul>
 */
final class LogDamage {
  private static final Pattern VERSION = Pattern.compile("v(\\d+)(\\..*)");

  private LogDamage() {}

  static void apply(Path log, String step) throws IOException {
    String[] w = step.split("\\s+", 3);
    Path file = log.resolve(fileName(w[1]));
    switch (w[0]) {
      case "truncate" -> {
        byte[] bytes = Files.readAllBytes(file);
        int keep = w[2].equals("half") ? bytes.length / 2
            : w[2].startsWith("-") ? bytes.length + Integer.parseInt(w[2]) : Integer.parseInt(w[2]);
        Files.write(file, Arrays.copyOf(bytes, Math.max(0, keep)));
      }
      case "garbage" -> {
        byte[] bytes = Files.readAllBytes(file);
        for (int i = 0; i < 16 && bytes.length / 2 + i < bytes.length; i++) {
          bytes[bytes.length / 2 + i] = (byte) (i % 2 == 0 ? 0xFF : 0x00);
        }
        Files.write(file, bytes);
      }
      case "delete" -> Files.delete(file);
      case "rename" -> Files.move(file, log.resolve(fileName(w[2])));
      case "write" -> Files.writeString(file, text(w[2]), StandardCharsets.UTF_8);
      case "append" -> Files.writeString(file, Files.readString(file, StandardCharsets.UTF_8) + text(w[2]),
          StandardCharsets.UTF_8);
      default -> throw new IllegalArgumentException("unknown setup step '" + step + "'");
    }
  }

  static String fileName(String given) {
    Matcher m = VERSION.matcher(given);
    return m.matches() ? String.format("%020d%s", Long.parseLong(m.group(1)), m.group(2)) : given;
  }

  private static String text(String given) {
    return given.replace("\\n", "\n");
  }
}
