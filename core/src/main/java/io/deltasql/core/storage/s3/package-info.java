/**
 * Tables and warehouses on S3 and S3-compatible object stores.
 *
 * <p>{@link io.deltasql.core.storage.s3.S3Storage} implements {@link io.deltasql.core.storage.Storage}
 * on the AWS SDK v2's sync S3 client over the JDK's HTTP client (the SDK's Netty and Apache
 * clients are excluded: 31 jars, 8.8 MB). Every setting is an
 * {@link io.deltasql.core.storage.s3.S3Property} with its default; pick the storage of a
 * location with {@link io.deltasql.core.storage.Storages#forLocation}.
 *
 * <p><b>Conditional writes and the mirror.</b> The mirror publishes each commit file with
 * put-if-absent, and a commit file it finds with other content is a foreign writer's: the table
 * is marked diverged. On S3 put-if-absent is a PUT with {@code If-None-Match: *} (AWS S3 since
 * 2024, MinIO, and others). {@code S3Storage.open} probes the store (two conditional PUTs of one
 * probe object; the second must fail with 412) unless {@code s3.conditional-writes} says
 * otherwise. A store that ignores the header is reported with a warning at open and by
 * {@link io.deltasql.core.storage.Storage#atomicPutIfAbsent()}; put-if-absent is then a HEAD
 * followed by a PUT. What the mirror does then: the same as always, with a window. A foreign
 * commit file written before the HEAD is still found and the table marked diverged; one written
 * between the HEAD and the PUT is overwritten (or overwrites ours) unseen. The catalog stays the
 * source of truth either way, so deltasql's own reads are unaffected; Delta readers of the
 * {@code _delta_log} could see the foreign version. {@code verify} should report the store's
 * mode (pending: it is another engineer's work).
 *
 * <p><b>Writes.</b> Whole objects are single PUTs. {@code create} streams buffer up to
 * {@code s3.multipart-threshold} and then use a multipart upload of {@code s3.part-size} parts;
 * a failure (after retries) or an abort aborts the upload, so nothing is visible and no parts
 * are left. A process that dies mid-upload leaves parts that only a bucket lifecycle rule
 * ({@code AbortIncompleteMultipartUpload}) removes: set one on warehouse buckets.
 *
 * <p><b>Tested</b> against S3Proxy 2.6.0 on loopback (core's {@code io.deltasql.core.testing.S3TestServer}),
 * which ignores {@code If-None-Match}; the tests put a small gateway in front that honours it
 * and injects faults.
 */
package io.deltasql.core.storage.s3;
