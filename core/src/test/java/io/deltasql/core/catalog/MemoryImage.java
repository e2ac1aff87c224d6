package io.deltasql.core.catalog;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.FileKey;
import io.deltasql.core.catalog.FileImageCodec.CorruptImageException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * An image made in memory and read back as the catalog serves it: each chunk split into the
 * parts the catalog keeps, the main parts decoded, the other parts and the files' rows handed
 * out from memory when asked for, and counted. Single files' stats come from their rows only
 * when {@link #singleRows} allows it (the catalog's policy, {@link FileImages#singleFileReads}).
 */
final class MemoryImage implements FileImageCodec.PartSource {
  final List<FileImageCodec.Parts> parts = new ArrayList<>();
  final Map<FileKey, Optional<String>> rows = new HashMap<>();
  /** The parts asked for, in order. */
  final List<FileImageCodec.Part> asked = new ArrayList<>();
  /** How many files' stats may still come from their rows one by one. */
  int singleRows;
  int rowReads;
  int singleRowReads;

  MemoryImage(Collection<AddFile> files) {
    FileImageCodec.encode(files).forEach(chunk -> parts.add(FileImageCodec.split(chunk)));
    files.forEach(f -> rows.put(f.fileKey(), f.stats()));
  }

  /** {@code files} through an image: encoded, split and decoded. */
  static List<AddFile> decoded(Collection<AddFile> files) throws CorruptImageException {
    return new MemoryImage(files).files();
  }

  /** The files of the image, decoded from the main parts. */
  List<AddFile> files() throws CorruptImageException {
    return FileImageCodec.decodeAll(parts.stream().map(FileImageCodec.Parts::main).toList(), this);
  }

  @Override
  public synchronized Optional<byte[]> part(FileImageCodec.Part part, int chunk) {
    asked.add(part);
    FileImageCodec.Parts p = parts.get(chunk);
    return Optional.of((part == FileImageCodec.Part.STATS ? p.stats() : p.statsColumns()).clone());
  }

  @Override
  public synchronized Map<FileKey, Optional<String>> statsOfRows() {
    rowReads++;
    return rows;
  }

  @Override
  public synchronized Optional<String> statsOfRow(FileKey key) {
    if (singleRows <= 0) {
      return Optional.empty();
    }
    singleRows--;
    singleRowReads++;
    return rows.get(key);
  }
}
