package io.deltasql.core.json;

import static io.deltasql.core.json.SharedLogParsingTest.assertCorrupt;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.deltasql.core.actions.Action;
import io.deltasql.core.actions.AddCdcFile;
import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.CheckpointMetadata;
import io.deltasql.core.actions.CommitInfo;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.actions.Sidecar;
import io.deltasql.core.errors.DeltaException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whole commit files and V2 checkpoint files in JSON. */
class CommitJsonTest {
  private static final String FILE = "t/_delta_log/00000000000000000007.json";

  private static CommitInfo commitInfo() {
    ObjectNode values = JsonSupport.mapper().createObjectNode();
    values.put("inCommitTimestamp", 1700000000000L).put("operation", "WRITE");
    return new CommitInfo(values);
  }

  @Test
  void writerPutsCommitInfoFirstAndEndsEveryLine() {
    AddFile add = AddFile.of("a.parquet", Map.of(), 1, 2, Optional.empty());
    Protocol protocol = new Protocol(1, 2);
    byte[] bytes = CommitJson.write(List.of(protocol, add, commitInfo()));
    String text = new String(bytes, StandardCharsets.UTF_8);
    assertEquals(ActionJson.write(commitInfo()) + "\n" + ActionJson.write(protocol) + "\n"
        + ActionJson.write(add) + "\n", text);
    assertEquals(List.of(commitInfo(), protocol, add), CommitJson.parse(bytes, FILE));
  }

  @Test
  void readerSkipsBlankLinesUnknownActionsAndCarriageReturns() {
    String text = "\n{\"txn\":{\"appId\":\"a\",\"version\":1}}\r\n  \n{\"future\":{}}\n"
        + "{\"protocol\":{\"minReaderVersion\":1,\"minWriterVersion\":2}}";
    List<Action> actions = CommitJson.parse(text.getBytes(StandardCharsets.UTF_8), FILE);
    assertEquals(List.of(new SetTransaction("a", 1, Optional.empty()), new Protocol(1, 2)),
        actions);
    assertEquals(List.of(), CommitJson.parse(new byte[0], FILE));
  }

  @Test
  void errorsNameTheFileAndTheLine() {
    String text = "{\"txn\":{\"appId\":\"a\",\"version\":1}}\n\n{\"add\":{}}\n";
    DeltaException e = assertThrows(DeltaException.class,
        () -> CommitJson.parse(text.getBytes(StandardCharsets.UTF_8), FILE));
    assertCorrupt(e, FILE + " line 3", "'add'", "'path'");
  }

  @Test
  void writerRefusesWhatNoCommitHolds() {
    assertThrows(IllegalArgumentException.class, () -> CommitJson.write(List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> CommitJson.write(List.of(commitInfo(), commitInfo())));
    assertThrows(IllegalArgumentException.class,
        () -> CommitJson.write(List.of(new CheckpointMetadata(1, Map.of()))));
  }

  @Test
  void v2CheckpointRoundTripsAndNeedsOneCheckpointMetadata() {
    List<Action> checkpoint = List.of(new CheckpointMetadata(5, Map.of()), new Protocol(1, 2),
        new Sidecar("s.parquet", 10, 20, Map.of()));
    byte[] bytes = CheckpointJson.write(checkpoint);
    assertEquals(checkpoint, CheckpointJson.parse(bytes, "cp.json"));

    byte[] none = CommitJson.write(List.of(new Protocol(1, 2)));
    assertCorrupt(assertThrows(DeltaException.class, () -> CheckpointJson.parse(none, "cp.json")),
        "cp.json", "checkpointMetadata");
    byte[] withCommitInfo = (new String(bytes, StandardCharsets.UTF_8)
        + ActionJson.write(commitInfo())).getBytes(StandardCharsets.UTF_8);
    assertCorrupt(assertThrows(DeltaException.class,
        () -> CheckpointJson.parse(withCommitInfo, "cp.json")), "cp.json", "'commitInfo'");

    assertThrows(IllegalArgumentException.class, () -> CheckpointJson.write(List.of()));
    assertThrows(IllegalArgumentException.class, () -> CheckpointJson.write(List.of(
        new CheckpointMetadata(5, Map.of()),
        new AddCdcFile("c.parquet", Map.of(), 1, false, Map.of()))));
  }
}
