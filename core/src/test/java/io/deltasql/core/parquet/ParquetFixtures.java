package io.deltasql.core.parquet;

import io.deltasql.core.storage.Storage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;

/** Hand-made Parquet files with a schema of the test's choosing, written through Storage. */
final class ParquetFixtures {
  private ParquetFixtures() {}

  /** Writes one row per filler; each filler sets the fields of a new row. */
  @SafeVarargs
  static void write(Storage storage, String path, String schemaText, Consumer<Group>... rows) {
    MessageType schema = MessageTypeParser.parseMessageType(schemaText);
    SimpleGroupFactory groups = new SimpleGroupFactory(schema);
    try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new StorageOutputFile(storage, path))
        .withConf(new PlainParquetConfiguration())
        .withType(schema)
        .build()) {
      for (Consumer<Group> row : rows) {
        Group group = groups.newGroup();
        row.accept(group);
        writer.write(group);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
