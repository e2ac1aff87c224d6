package io.deltasql.core.parquet;

import com.fasterxml.jackson.databind.JsonNode;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.testing.SharedTables;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Ground truth for checkpoint contents: replays a shared table's JSON commits 0..v with
 * plain Jackson and returns the active {@code add} entries keyed by (path, DV id).
 */
final class JsonLogReplay {
  private JsonLogReplay() {}

  static Map<FileKey, JsonNode> activeFiles(String table, long version) {
    Map<FileKey, JsonNode> active = new LinkedHashMap<>();
    for (long v = 0; v <= version; v++) {
      var commit = SharedTables.table(table).resolve("_delta_log/%020d.json".formatted(v));
      try {
        for (String line : Files.readAllLines(commit)) {
          JsonNode action = SharedCheckpoints.JSON.readTree(line);
          if (action.has("add")) {
            active.put(key(action.get("add")), action.get("add"));
          } else if (action.has("remove")) {
            active.remove(key(action.get("remove")));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return active;
  }

  static FileKey key(JsonNode file) {
    JsonNode dv = file.get("deletionVector");
    if (dv == null || dv.isNull()) {
      return new FileKey(file.get("path").asText(), Optional.empty());
    }
    String id = dv.get("storageType").asText() + dv.get("pathOrInlineDv").asText();
    JsonNode offset = dv.get("offset");
    return new FileKey(file.get("path").asText(),
        Optional.of(offset == null || offset.isNull() ? id : id + "@" + offset.asInt()));
  }
}
