package io.deltasql.core.actions;

import java.util.Objects;
import java.util.Optional;

/**
 * A deletion vector reference (PROTOCOL.md, "Deletion Vectors"): stored inline
 * ({@code i}), at a path relative to the table ({@code u}, a UUID with a random prefix),
 * or at an absolute path ({@code p}).
 */
public record DeletionVectorDescriptor(
    String storageType, String pathOrInlineDv, Optional<Integer> offset, int sizeInBytes, long cardinality) {

  public DeletionVectorDescriptor {
    Objects.requireNonNull(storageType, "storageType");
    Objects.requireNonNull(pathOrInlineDv, "pathOrInlineDv");
    Objects.requireNonNull(offset, "offset");
  }

  /**
   * The unique id of this deletion vector: storage type, path or inline data, and the
   * offset after {@code @} when there is one. Log replay keys files by (path, this id).
   */
  public String uniqueId() {
    String base = storageType + pathOrInlineDv;
    return offset.map(o -> base + "@" + o).orElse(base);
  }
}
