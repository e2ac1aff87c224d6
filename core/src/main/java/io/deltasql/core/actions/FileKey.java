package io.deltasql.core.actions;

import java.util.Objects;
import java.util.Optional;

/**
 * What identifies a logical file during log replay: its path and the unique id of its
 * deletion vector. The same path with two deletion vectors is two logical files.
 */
public record FileKey(String path, Optional<String> deletionVectorId) {
  public FileKey {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(deletionVectorId, "deletionVectorId");
  }
}
