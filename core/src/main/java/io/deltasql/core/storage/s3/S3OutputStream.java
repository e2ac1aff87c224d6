package io.deltasql.core.storage.s3;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import io.deltasql.core.storage.StorageOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * The stream of {@link S3Storage#create}. Up to the multipart threshold the bytes stay in
 * memory and {@link #close} writes them in one PUT; past it a multipart upload starts and each
 * full part goes up as it fills, the rest on close, which completes the upload. The object is
 * visible only after a successful close. Any failure (after the SDK's retries) aborts the
 * upload, so the store keeps neither an object nor stray parts; so does {@link #abort}.
 *
 * <p>Not thread-safe, like every {@link OutputStream}.
 */
final class S3OutputStream extends StorageOutputStream {
  private static final Logger LOG = LoggerFactory.getLogger(S3OutputStream.class);

  private final S3Storage storage;
  private final S3Client client;
  private final S3Location at;
  private final long threshold;
  private final int partSize;
  private byte[] buffer = new byte[8192];
  private int count;
  private String uploadId;
  private final List<CompletedPart> parts = new ArrayList<>();
  private long written;
  private boolean closed;
  private boolean aborted;
  private DeltaException failure;

  S3OutputStream(S3Storage storage, S3Location at) {
    this.storage = storage;
    this.client = storage.client();
    this.at = at;
    this.threshold = storage.config().multipartThreshold();
    this.partSize = storage.config().partSize();
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] data, int offset, int length) throws IOException {
    ensureWritable();
    Objects.checkFromIndexSize(offset, length, data.length);
    try {
      while (length > 0) {
        int room = uploadId == null ? Integer.MAX_VALUE - 8 - count : partSize - count;
        int n = Math.min(length, room);
        ensureCapacity(count + n);
        System.arraycopy(data, offset, buffer, count, n);
        count += n;
        written += n;
        offset += n;
        length -= n;
        if (uploadId == null && count > threshold) {
          startUpload();
        }
        while (uploadId != null && count >= partSize) {
          uploadPart(partSize);
        }
      }
    } catch (DeltaException e) {
      throw fail(e);
    }
  }

  /** Writes {@code data} and closes, for {@link S3Storage#write} of a large object. */
  void writeAll(byte[] data) {
    try {
      write(data, 0, data.length);
      close();
    } catch (IOException e) {
      throw e.getCause() instanceof DeltaException d ? d
          : new DeltaException(SqlState.IO_ERROR, "Cannot write '" + at + "': " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    if (aborted) {
      return; // nothing to publish, as asked
    }
    if (closed) {
      if (failure != null) {
        throw new IOException(failure.getMessage(), failure);
      }
      return;
    }
    ensureWritable();
    closed = true;
    try {
      if (uploadId == null) {
        storage.putObject(at, Arrays.copyOf(buffer, count), false);
      } else {
        if (count > 0 || parts.isEmpty()) {
          uploadPart(count);
        }
        complete();
      }
      buffer = null;
      LOG.debug("s3 object written location={} bytes={} parts={}", at, written, parts.size());
    } catch (DeltaException e) {
      throw fail(e);
    }
  }

  @Override
  public void abort() {
    aborted = true;
    if (failure == null) {
      failure = new DeltaException(SqlState.IO_ERROR,
          "The write of '" + at + "' was aborted; nothing was published");
    }
    closed = true;
    buffer = null;
    abortUpload();
  }

  private void ensureWritable() throws IOException {
    if (failure != null) {
      throw new IOException(failure.getMessage(), failure);
    }
    if (closed) {
      throw new IOException("The stream writing '" + at + "' is closed");
    }
  }

  private void ensureCapacity(int needed) {
    if (needed > buffer.length) {
      int grown = (int) Math.min(Integer.MAX_VALUE - 8L, Math.max(needed, 2L * buffer.length));
      buffer = Arrays.copyOf(buffer, grown);
    }
  }

  private void startUpload() {
    try {
      uploadId = client.createMultipartUpload(r -> r.bucket(at.bucket()).key(at.key())).uploadId();
      LOG.debug("s3 multipart upload started location={} uploadId={}", at, uploadId);
    } catch (SdkException e) {
      throw S3Errors.failure("start a multipart upload of", at, e);
    }
  }

  /** Uploads the first {@code size} buffered bytes as the next part and keeps the rest. */
  private void uploadPart(int size) {
    int number = parts.size() + 1;
    byte[] part = Arrays.copyOf(buffer, size);
    try {
      String etag = client.uploadPart(r -> r.bucket(at.bucket()).key(at.key()).uploadId(uploadId)
          .partNumber(number).contentLength((long) size), RequestBody.fromBytes(part)).eTag();
      parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
    } catch (SdkException e) {
      throw S3Errors.failure("upload part " + number + " of", at, e);
    }
    System.arraycopy(buffer, size, buffer, 0, count - size);
    count -= size;
  }

  private void complete() {
    try {
      client.completeMultipartUpload(r -> r.bucket(at.bucket()).key(at.key()).uploadId(uploadId)
          .multipartUpload(m -> m.parts(parts)));
    } catch (SdkException e) {
      throw S3Errors.failure("complete the multipart upload of", at, e);
    }
    uploadId = null;
  }

  private IOException fail(DeltaException e) {
    failure = e;
    closed = true;
    buffer = null;
    abortUpload();
    return new IOException(e.getMessage(), e);
  }

  private void abortUpload() {
    if (uploadId == null) {
      return;
    }
    String id = uploadId;
    uploadId = null;
    try {
      client.abortMultipartUpload(r -> r.bucket(at.bucket()).key(at.key()).uploadId(id));
      LOG.info("s3 multipart upload aborted location={} uploadId={} parts={}", at, id, parts.size());
    } catch (SdkException e) {
      LOG.warn("s3 multipart upload not aborted location={} uploadId={} reason={}: its parts stay invisible "
          + "until a lifecycle rule (AbortIncompleteMultipartUpload) removes them", at, id, e.getMessage());
    }
  }
}
