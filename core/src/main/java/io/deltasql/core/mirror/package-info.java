/**
 * The mirror: publishes each table's committed catalog versions to its {@code _delta_log},
 * so that Spark, delta-rs, Delta Kernel and every other Delta reader read the tables the
 * catalog holds.
 *
 * <p>The public surface is small: {@link io.deltasql.core.mirror.TableMirror} (what the
 * commit path calls after each catalog commit), its outcome
 * {@link io.deltasql.core.mirror.MirrorOutcome}, the engine
 * {@link io.deltasql.core.mirror.MirrorEngine} with its
 * {@link io.deltasql.core.mirror.MirrorConfig} and health
 * {@link io.deltasql.core.mirror.MirrorEngineStatus}. Inside:
 *
 * <ul>
 *   <li>{@code TableMirrorPass}: one pass over one table's unmirrored versions, oldest first;</li>
 *   <li>{@code VersionToMirror}: what one version needs, read from the catalog in one transaction;</li>
 *   <li>{@code CommitPublisher}: put-if-absent of a commit file, and the comparison that tells a
 *       retry from a foreign writer;</li>
 *   <li>{@code CheckpointPublisher}: the checkpoint of a version and {@code _last_checkpoint};</li>
 *   <li>{@code CheckpointLane}: the thread that writes the checkpoints of handed-over versions;</li>
 *   <li>{@code CheckpointWarmUp}: the JVM's first checkpoint, written to nowhere, so that a
 *       table's first one does not wait for Parquet's classes;</li>
 *   <li>{@code StatusRecorder}: the status of handed-over versions, many turns and tables per
 *       catalog transaction;</li>
 *   <li>{@code StorageRetry}: transient storage failures retried with exponential backoff;</li>
 *   <li>{@code SystemicFailureDetector}: rounds in which every table failed, and the pause after them;</li>
 *   <li>{@code Reconciler}: the background thread;</li>
 *   <li>{@code MirrorMetrics} and {@code MirrorErrors}: meters and messages.</li>
 * </ul>
 *
 * <p>The catalog is the source of truth throughout: what to write comes from
 * {@code versionActions}, progress is the per-version mirror status, and a foreign commit
 * is recorded as the table's divergence. The mirror keeps no state that a restart would lose.
 */
package io.deltasql.core.mirror;
