package io.deltasql.core.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A stream that creates one object ({@link Storage#create}). The object appears at its path
 * only when {@link #close} succeeds; {@link #abort} gives the write up instead, and then
 * nothing appears at the path and nothing of the write is left behind (no temporary file,
 * no pending upload).
 *
 * <p>A stream on which a write or flush failed is never published: its {@code close}
 * discards what was written and throws, so a caller that closes in a {@code finally} (or a
 * library that does, like Parquet's writer) cannot publish a partial object.
 */
public abstract class StorageOutputStream extends OutputStream {

  /**
   * Discards the write: nothing is published and whatever was written is removed. Does
   * nothing after {@code close} or a previous {@code abort}; never throws.
   */
  public abstract void abort();

  /**
   * Publishes the object, unless the stream was aborted (then does nothing).
   *
   * @throws IOException if publishing fails, or an earlier write failed; either way nothing
   *     is published and nothing is left behind
   */
  @Override
  public abstract void close() throws IOException;
}
