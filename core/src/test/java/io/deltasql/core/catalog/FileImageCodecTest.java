package io.deltasql.core.catalog;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.catalog.FileImageCodec.CorruptImageException;
import io.deltasql.core.json.FileStatsJson;
import io.deltasql.core.json.FileStatsView;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

/**
 * The image codec on its own: decoded files equal, hash and print like the files encoded
 * (their stats decoded from the chunk's stats section on demand), a listing of paths leaves the
 * stats compressed, and damage anywhere in a chunk is found when it is decoded.
 */
class FileImageCodecTest {
  /** Offset in a chunk's header of the main section's compressed length. */
  private static final int MAIN_COMPRESSED_AT = 4 + 1 + 4 + 4;
  private static final int HEADER_BYTES = MAIN_COMPRESSED_AT + 4 * 7;

  /** Random files, some with every optional field, some without stats, a few sharing partition values and tags. */
  private static List<AddFile> randomFiles(Random random, int count) {
    List<AddFile> files = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      Optional<String> stats = random.nextInt(4) == 0 ? Optional.empty()
          : Optional.of("{\"numRecords\":" + random.nextInt(1000) + ",\"minValues\":{\"s\":\"é" + i + "\"}}");
      Map<String, String> partition = random.nextBoolean() ? Map.of() : Map.of("d", "2026-12-0" + random.nextInt(3));
      Map<String, String> tags = random.nextInt(5) == 0 ? Map.of("INSERTION_TIME", "" + i) : Map.of();
      Optional<DeletionVectorDescriptor> dv = random.nextInt(6) == 0
          ? Optional.of(new DeletionVectorDescriptor("u", "dv" + i, random.nextBoolean() ? Optional.of(1) : Optional.empty(),
              40, 2))
          : Optional.empty();
      boolean rowTracking = random.nextInt(4) == 0;
      files.add(new AddFile("part-" + i + "-ü.parquet", partition, random.nextInt(1 << 20), 1_700_000_000_000L + i,
          random.nextBoolean(), stats, tags, dv, rowTracking ? Optional.of((long) i * 10) : Optional.empty(),
          rowTracking ? Optional.of(3L) : Optional.empty(), random.nextInt(8) == 0 ? Optional.of("liquid")
              : Optional.empty()));
    }
    return files;
  }

  @Property(tries = 30)
  void decodedFilesEqualHashAndPrintLikeTheFilesEncoded(@ForAll long seed) throws CorruptImageException {
    Random random = new Random(seed);
    List<AddFile> files = randomFiles(random, random.nextInt(3 * FileImageCodec.FILES_PER_CHUNK));
    List<AddFile> decoded = MemoryImage.decoded(files);
    assertEquals(files.size(), decoded.size());
    for (int i = 0; i < files.size(); i++) {
      AddFile expected = files.get(i).withDataChange(false);
      AddFile actual = decoded.get(i);
      assertEquals(expected, actual);
      assertEquals(actual, expected);
      assertEquals(expected.hashCode(), actual.hashCode());
      assertEquals(expected.toString(), actual.toString());
      assertEquals(expected.stats(), actual.stats());
      assertEquals(expected.fileKey(), actual.fileKey());
      assertEquals(expected.toRemove(5, true), actual.toRemove(5, true));
      assertEquals(files.get(i), actual.withDataChange(files.get(i).dataChange()));
    }
  }

  /**
   * A chunk's main part alone, as a listing reads it from the catalog: no other part is asked
   * for until a file's stats are read; then each part once per chunk. A part that is gone or
   * damaged is replaced: the stats by the rows' stats, the stats columns by the parsed JSON.
   */
  @Test
  void aMainPartAloneFetchesTheOtherPartsOnlyWhenStatsAreRead() throws CorruptImageException {
    List<AddFile> files = randomFiles(new Random(11), 300);
    FileImageCodec.Parts parts = FileImageCodec.split(FileImageCodec.encode(files).get(0));
    Map<FileKey, Optional<String>> rows = new HashMap<>();
    files.forEach(f -> rows.put(f.fileKey(), f.stats()));
    for (String variant : List.of("there", "gone", "damaged")) {
      List<FileImageCodec.Part> asked = new ArrayList<>();
      int[] rowReads = {0};
      AddFile[] decoded = new FileImageCodec.Decoder(new FileImageCodec.PartSource() {
        @Override
        public Optional<byte[]> part(FileImageCodec.Part part, int chunk) {
          asked.add(part);
          byte[] bytes = (part == FileImageCodec.Part.STATS ? parts.stats() : parts.statsColumns()).clone();
          if (variant.equals("damaged")) {
            bytes[bytes.length / 2] ^= 0x21;
          }
          return variant.equals("gone") ? Optional.empty() : Optional.of(bytes);
        }

        @Override
        public Map<FileKey, Optional<String>> statsOfRows() {
          rowReads[0]++;
          return rows;
        }

        @Override
        public Optional<String> statsOfRow(FileKey key) {
          return Optional.empty();
        }
      }).decode(parts.main(), 0);
      for (int i = 0; i < files.size(); i++) {
        assertEquals(files.get(i).path(), decoded[i].path());
        assertEquals(files.get(i).partitionValues(), decoded[i].partitionValues());
      }
      assertEquals(List.of(), asked, variant + ": a listing reads no other part");
      for (int i = 0; i < files.size(); i++) {
        assertEquals(files.get(i), decoded[i].withDataChange(files.get(i).dataChange()), variant);
        assertEquals(files.get(i).stats().map(s -> FileStatsJson.parse(s, "test").numRecords()),
            decoded[i].typedStats().map(FileStatsView::numRecords), variant);
      }
      assertEquals(List.of(FileImageCodec.Part.STATS, FileImageCodec.Part.STATS_COLUMNS), asked, variant);
      assertEquals(variant.equals("there") ? 0 : 1, rowReads[0], variant);
    }
  }

  /**
   * The stats of a few files read one by one come from their rows, not from the stats part of
   * their chunk; once the source stops answering single files, the part is fetched once and
   * serves the rest. A row that is not what the image holds is not used.
   */
  @Test
  void aFewFilesStatsComeFromTheirRowsAndNotFromTheChunk() throws CorruptImageException {
    List<AddFile> files = randomFiles(new Random(5), 300).stream().filter(f -> f.stats().isPresent()).toList();
    MemoryImage image = new MemoryImage(files);
    image.singleRows = 2;
    List<AddFile> decoded = image.files();
    assertEquals(files.get(7).stats(), decoded.get(7).stats());
    assertEquals(files.get(9).toRemove(5, true), decoded.get(9).toRemove(5, true));
    assertEquals(List.of(), image.asked, "no chunk's part is fetched for two files");
    assertEquals(2, image.singleRowReads);
    for (int i = 0; i < files.size(); i++) {
      assertEquals(files.get(i).stats(), decoded.get(i).stats());
    }
    assertEquals(List.of(FileImageCodec.Part.STATS), image.asked);
    assertEquals(0, image.rowReads);

    MemoryImage changed = new MemoryImage(files);
    changed.singleRows = 1;
    changed.rows.put(files.get(3).fileKey(), Optional.of("{}"));
    assertEquals(files.get(3).stats(), changed.files().get(3).stats());
    assertEquals(List.of(FileImageCodec.Part.STATS), changed.asked, "a row unlike the image is not used");
  }

  @Test
  void filesOfOneChunkShareTheirPartitionValuesAndTags() throws CorruptImageException {
    List<AddFile> files = new ArrayList<>();
    for (int i = 0; i < 100; i++) {
      files.add(new AddFile("f" + i, Map.of("d", "2026-12-0" + i % 2), 1, 1, false, Optional.empty(),
          Map.of("k", "v"), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty()));
    }
    List<AddFile> decoded = MemoryImage.decoded(files);
    assertSame(decoded.get(0).partitionValues(), decoded.get(2).partitionValues());
    assertSame(decoded.get(0).tags(), decoded.get(99).tags());
    assertEquals(Map.of("d", "2026-12-01"), decoded.get(1).partitionValues());
  }

  /**
   * A byte changed anywhere after the header of a chunk's main part makes the chunk unusable
   * when decoded (the other parts are checked when fetched: {@link
   * #aMainPartAloneFetchesTheOtherPartsOnlyWhenStatsAreRead}).
   */
  @Property(tries = 50)
  void damageAnywhereInAChunkIsFoundWhenItIsDecoded(@ForAll long seed) {
    Random random = new Random(seed);
    byte[] chunk = mainPart(randomFiles(random, 1 + random.nextInt(300)));
    int at = HEADER_BYTES + random.nextInt(chunk.length - HEADER_BYTES);
    chunk[at] ^= (byte) (1 + random.nextInt(255));
    CorruptImageException e = assertThrows(CorruptImageException.class,
        () -> new FileImageCodec.Decoder(new MemoryImage(List.of())).decode(chunk, 0));
    assertEquals("checksum mismatch", e.getMessage());
  }

  @Test
  void imagesOfEarlierFormatsAreNotRead() {
    for (byte format = 1; format <= 3; format++) {
      byte[] chunk = mainPart(List.of(AddFile.of("a", Map.of(), 1, 1, Optional.of("{}"))));
      chunk[4] = format;
      CorruptImageException e = assertThrows(CorruptImageException.class,
          () -> new FileImageCodec.Decoder(new MemoryImage(List.of())).decode(chunk, 0));
      assertEquals("unknown file image format " + format, e.getMessage());
    }
  }

  private static byte[] mainPart(List<AddFile> files) {
    return FileImageCodec.split(FileImageCodec.encode(files).get(0)).main();
  }
}
