package io.deltasql.core.actions;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The {@code metaData} action. The schema stays as the JSON string the log holds
 * ({@code schemaString}); {@code io.deltasql.core.json.SchemaJson} parses it.
 */
public record Metadata(
    String id,
    Optional<String> name,
    Optional<String> description,
    Format format,
    String schemaString,
    List<String> partitionColumns,
    Map<String, String> configuration,
    Optional<Long> createdTime)
    implements Action {

  public Metadata {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(schemaString, "schemaString");
    partitionColumns = List.copyOf(partitionColumns);
    configuration = Maps.copyOf(configuration);
    Objects.requireNonNull(createdTime, "createdTime");
  }

  public Metadata withSchemaString(String newSchema) {
    return new Metadata(id, name, description, format, newSchema, partitionColumns, configuration, createdTime);
  }

  public Metadata withConfiguration(Map<String, String> newConfiguration) {
    return new Metadata(id, name, description, format, schemaString, partitionColumns, newConfiguration, createdTime);
  }

  @Override
  public String key() {
    return "metaData";
  }
}
