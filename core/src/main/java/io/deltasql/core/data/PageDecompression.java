package io.deltasql.core.data;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.parquet.bytes.BytesInput;
import org.apache.parquet.compression.CompressionCodecFactory;
import org.apache.parquet.conf.ParquetConfiguration;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.hadoop.util.HadoopCodecs;
import org.xerial.snappy.Snappy;

/**
 * The page decompression of a data file read: Snappy pages (the codec deltasql writes by default)
 * decompressed from the page's bytes straight into the array the page is read from, other codecs
 * by parquet's own codecs. Parquet's Snappy goes through Hadoop's stream codec, which copies
 * each page into and out of direct buffers and then through a stream into a third array.
 *
 * <p>One per opened file, as parquet's reader releases it when the file is closed.
 */
final class PageDecompression implements CompressionCodecFactory {
  private static final BytesInputDecompressor SNAPPY = new SnappyPages();

  private final CompressionCodecFactory others;

  PageDecompression(ParquetConfiguration configuration) {
    this.others = HadoopCodecs.newFactory(configuration, 0);
  }

  @Override
  public BytesInputCompressor getCompressor(CompressionCodecName codec) {
    return others.getCompressor(codec);
  }

  @Override
  public BytesInputDecompressor getDecompressor(CompressionCodecName codec) {
    return codec == CompressionCodecName.SNAPPY ? SNAPPY : others.getDecompressor(codec);
  }

  @Override
  public void release() {
    others.release();
  }

  /** Snappy from and to heap arrays; stateless. */
  private static final class SnappyPages implements BytesInputDecompressor {
    @Override
    public BytesInput decompress(BytesInput bytes, int uncompressedSize) throws IOException {
      byte[] out = new byte[uncompressedSize];
      uncompress(bytes.toByteBuffer(), out);
      return BytesInput.from(out);
    }

    @Override
    public void decompress(ByteBuffer input, int compressedSize, ByteBuffer output, int uncompressedSize)
        throws IOException {
      ByteBuffer in = input.duplicate();
      in.limit(in.position() + compressedSize);
      byte[] out = new byte[uncompressedSize];
      uncompress(in, out);
      output.put(out);
    }

    private static void uncompress(ByteBuffer in, byte[] out) throws IOException {
      byte[] array;
      int offset;
      if (in.hasArray()) {
        array = in.array();
        offset = in.arrayOffset() + in.position();
      } else {
        array = new byte[in.remaining()];
        in.duplicate().get(array);
        offset = 0;
      }
      int length = Snappy.uncompressedLength(array, offset, in.remaining());
      if (length != out.length) {
        throw new IOException("a Snappy page of " + length + " bytes where its header says " + out.length);
      }
      Snappy.uncompress(array, offset, in.remaining(), out, 0);
    }

    @Override
    public void release() {}
  }
}
