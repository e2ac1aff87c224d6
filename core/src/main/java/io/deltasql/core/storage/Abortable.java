package io.deltasql.core.storage;

/**
 * A stream from {@link Storage#create} that can be given up after a failure: nothing is
 * published at its path and what it staged is discarded now rather than left to the store
 * (a hidden temporary file; an incomplete multipart upload, which S3 keeps, and bills, until
 * aborted). Callers that abandon a stream call {@link #abort()} if the stream has it.
 */
public interface Abortable {
  /** Discards the write; safe to call more than once, and after a failed close. Never throws. */
  void abort();
}
