package io.deltasql.core.actions;

/**
 * One action of a Delta commit or checkpoint (PROTOCOL.md, "Actions"). Each kind is an
 * immutable record; {@link #key()} is the single-key wrapper it has in a log line,
 * e.g. {@code {"add": {...}}}.
 */
public sealed interface Action
    permits Protocol, Metadata, AddFile, RemoveFile, AddCdcFile, CommitInfo, SetTransaction,
        DomainMetadata, CheckpointMetadata, Sidecar {

  /** The action's key in the log's newline-delimited JSON. */
  String key();
}
