package io.deltasql.core.json;

import static io.deltasql.core.json.SharedLogParsingTest.assertCorrupt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.Sidecar;
import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.testing.SharedTables;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@code _last_checkpoint} files: every shared one, the V2 form, and the checksum. */
class LastCheckpointJsonTest {
  @Test
  void everySharedLastCheckpointParsesAndRoundTrips() throws IOException {
    int parsed = 0;
    for (Path file : SharedLogFiles.lastCheckpoints()) {
      byte[] content = Files.readAllBytes(file);
      if (content.length == 0) {
        DeltaException e = assertThrows(DeltaException.class,
            () -> LastCheckpointJson.parse(content, file.toString()));
        assertCorrupt(e, file.toString(), "empty");
        continue;
      }
      LastCheckpoint lc = LastCheckpointJson.parse(content, file.toString());
      byte[] written = LastCheckpointJson.write(lc);
      LastCheckpoint reread = LastCheckpointJson.parse(written, "written");
      assertTrue(reread.checksum().isPresent(), "the writer adds a checksum");
      assertEquals(lc.withChecksum(reread.checksum()), reread, file.toString());
      parsed++;
    }
    assertEquals(17, parsed);
  }

  @Test
  void v2CheckpointPointerCarriesItsActionsAndAValidChecksum() throws IOException {
    byte[] content = Files.readAllBytes(lastCheckpoint("v2-checkpoint-json"));
    LastCheckpoint lc = LastCheckpointJson.parse(content, "v2-checkpoint-json");
    assertEquals(2, lc.version());
    assertEquals(9, lc.size());
    assertEquals(Optional.of(19554L), lc.sizeInBytes());
    assertEquals(Optional.of(4L), lc.numOfAddFiles());
    assertEquals(Optional.of("d09f95a326aab562c60d415a32ddd216"), lc.checksum());
    LastCheckpoint.V2Checkpoint v2 = lc.v2Checkpoint().orElseThrow();
    assertEquals("00000000000000000002.checkpoint.6374b053-df23-479b-b2cf-c9c550132b49.json",
        v2.path());
    assertEquals(891, v2.sizeInBytes());
    var actions = v2.nonFileActions().orElseThrow();
    assertEquals(3, actions.size());
    assertTrue(actions.get(0) instanceof Protocol);
    assertTrue(actions.get(1) instanceof Metadata);
    assertEquals(new CheckpointMetadata(2, Map.of()), actions.get(2));
    List<Sidecar> sidecars = v2.sidecarFiles().orElseThrow();
    assertEquals(2, sidecars.size());
    assertEquals(9367, sidecars.get(0).sizeInBytes());
  }

  @Test
  void writingASharedFileGivesItBackByteForByte() throws IOException {
    byte[] content = Files.readAllBytes(lastCheckpoint("v2-checkpoint-json"));
    LastCheckpoint lc = LastCheckpointJson.parse(content, "v2-checkpoint-json");
    assertEquals(new String(content, StandardCharsets.UTF_8),
        new String(LastCheckpointJson.write(lc), StandardCharsets.UTF_8));
  }

  @Test
  void checksumFollowsTheProtocolExample() {
    String example = "{\"k0\":\"'v 0'\", \"checksum\": \"adsaskfljadfkjadfkj\", \"k1\":{\"k2\": 2,"
        + " \"k3\": [\"v3\", [1, 2], {\"k4\": \"v4\", \"k5\": [\"v5\", \"v6\", \"v7\"]}]}}";
    assertEquals("6a92d155a59bf2eecbd4b4ec7fd1f875",
        LastCheckpointChecksum.of(JsonSupport.readTree(example, "example")));
  }

  @Test
  void aChecksumThatDoesNotMatchIsCorrupt() throws IOException {
    String content = Files.readString(lastCheckpoint("v2-checkpoint-json"))
        .replace("\"numOfAddFiles\":4", "\"numOfAddFiles\":5");
    DeltaException e = assertThrows(DeltaException.class, () -> LastCheckpointJson.parse(
        content.getBytes(StandardCharsets.UTF_8), "_delta_log/_last_checkpoint"));
    assertCorrupt(e, "_delta_log/_last_checkpoint", "checksum", "d09f95a326aab562c60d415a32ddd216");
  }

  @Test
  void otherWritersFormsAreRead() {
    LastCheckpoint deltaRs = LastCheckpointJson.parse(
        "{\"size\":8,\"size_in_bytes\":21857,\"version\":1}".getBytes(StandardCharsets.UTF_8), "rs");
    assertEquals(Optional.of(21857L), deltaRs.sizeInBytes());
    LastCheckpoint nullParts = LastCheckpointJson.parse(
        "{\"version\":2,\"size\":15330,\"parts\":null}".getBytes(StandardCharsets.UTF_8), "rs");
    assertEquals(LastCheckpoint.of(2, 15330), nullParts);
  }

  @Test
  void writesFieldsInDeltasOrderOnOneLine() {
    LastCheckpoint lc = new LastCheckpoint(10, 13, Optional.of(2), Optional.of(100L),
        Optional.of(6L), Optional.empty(), Optional.empty(), Map.of("k", "v"), Optional.empty());
    String written = new String(LastCheckpointJson.write(lc), StandardCharsets.UTF_8);
    assertTrue(written.startsWith("{\"version\":10,\"size\":13,\"parts\":2,\"sizeInBytes\":100,"
        + "\"numOfAddFiles\":6,\"tags\":{\"k\":\"v\"},\"checksum\":\""), written);
    assertTrue(written.endsWith("\"}\n"));
  }

  @Test
  void missingVersionOrSizeIsCorrupt() {
    DeltaException e = assertThrows(DeltaException.class, () -> LastCheckpointJson.parse(
        "{\"size\":3}".getBytes(StandardCharsets.UTF_8), "_last_checkpoint"));
    assertCorrupt(e, "_last_checkpoint", "'version'");
    e = assertThrows(DeltaException.class, () -> LastCheckpointJson.parse(
        "{\"version\":3,\"v2Checkpoint\":{}}".getBytes(StandardCharsets.UTF_8), "_last_checkpoint"));
    assertCorrupt(e, "'size'");
  }

  private static Path lastCheckpoint(String table) {
    return SharedTables.table(table).resolve("_delta_log").resolve("_last_checkpoint");
  }
}
