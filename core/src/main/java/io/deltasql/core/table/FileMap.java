package io.deltasql.core.table;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DeletionVectorDescriptor;
import io.deltasql.core.actions.FileKey;
import java.util.AbstractCollection;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;

/**
 * The active files of a {@link Snapshot}: an immutable map from {@link FileKey} to
 * {@link AddFile}, persistent (a hash array mapped trie), so that a snapshot advanced by a
 * commit shares every unchanged part of its base's map and costs O(changes · log32 files)
 * instead of a copy of all files.
 *
 * <p>Only the files are stored (the key of an entry is its file's {@link AddFile#fileKey()}),
 * every file with {@code dataChange=false} ({@link Builder#put} clears it). Equality and hash
 * code are those of {@link Map}: a {@code FileMap} equals any map with the same entries.
 * Unmodifiable: every mutator of {@link Map} throws {@link UnsupportedOperationException}.
 *
 * <p>A {@link Builder} edits in place the trie nodes it created itself and copies the ones it
 * shares with a built map (path copying), so building a map of n files costs O(n) and
 * advancing one by c changes O(c); {@link Builder#build()} ends the in-place edits.
 *
 * <p>A map made by {@link #ofDistinct} from files known to have distinct keys (a catalog file
 * image) keeps them as an array, iterated in that order, and builds its trie on the first
 * lookup or {@link #builder(FileMap)}: a listing only iterates, and does not pay for hashing
 * every path into the trie.
 */
public final class FileMap extends AbstractMap<FileKey, AddFile> {
  private static final FileMap EMPTY = new FileMap(null, 0);
  private static final int BITS = 5;
  private static final int MASK = (1 << BITS) - 1;
  /** Beyond this shift every bit of the hash is used: equal hashes go to a collision node. */
  private static final int MAX_SHIFT = 30;

  /** The files in iteration order, when the map was made {@link #ofDistinct}; else {@code null}. */
  private final AddFile[] files;
  /** The trie, {@code null} when empty or not built yet from {@link #files}. */
  private volatile Node root;
  private final int size;
  private Set<Entry<FileKey, AddFile>> entrySet;
  private Collection<AddFile> values;

  private FileMap(Node root, int size) {
    this.files = null;
    this.root = root;
    this.size = size;
  }

  private FileMap(AddFile[] files) {
    this.files = files;
    this.size = files.length;
  }

  /** The empty map. */
  public static FileMap of() {
    return EMPTY;
  }

  /**
   * {@code files} as a {@code FileMap} (itself if it is one), every file with
   * {@code dataChange=false}.
   *
   * @throws IllegalArgumentException when a key is not its file's {@link AddFile#fileKey()}
   */
  public static FileMap copyOf(Map<FileKey, AddFile> files) {
    if (files instanceof FileMap map) {
      return map;
    }
    Builder builder = new Builder();
    for (Entry<FileKey, AddFile> e : files.entrySet()) {
      AddFile add = Objects.requireNonNull(e.getValue(), "file");
      if (!e.getKey().equals(add.fileKey())) {
        throw new IllegalArgumentException("file " + add.path() + " is keyed by " + e.getKey()
            + ", not by its own key " + add.fileKey());
      }
      builder.put(add);
    }
    return builder.build();
  }

  /**
   * The map of {@code files}, whose keys must be distinct (which is checked when the trie is
   * first needed: a lookup, or a builder from this map, then throws
   * {@link IllegalStateException}), iterated in their order, every file with
   * {@code dataChange=false}.
   */
  public static FileMap ofDistinct(Collection<AddFile> files) {
    if (files.isEmpty()) {
      return EMPTY;
    }
    AddFile[] array = new AddFile[files.size()];
    int i = 0;
    for (AddFile file : files) {
      array[i++] = file.dataChange() ? file.withDataChange(false) : file;
    }
    return new FileMap(array);
  }

  /** A builder of an empty map. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from {@code base} (which does not change). */
  public static Builder builder(FileMap base) {
    return new Builder(base);
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public AddFile get(Object key) {
    if (!(key instanceof FileKey k)) {
      return null;
    }
    return find(k.path(), k.deletionVectorId().orElse(null));
  }

  @Override
  public boolean containsKey(Object key) {
    return get(key) != null;
  }

  @Override
  public boolean containsValue(Object value) {
    return value instanceof AddFile add && add.equals(get(add.fileKey()));
  }

  /** The file with this path and deletion vector id ({@code null}: none), or {@code null}. */
  public AddFile find(String path, String deletionVectorId) {
    int hash = hash(path, deletionVectorId);
    Node node = root();
    int shift = 0;
    while (node != null) {
      if (node.collision) {
        for (Object o : node.slots) {
          if (matches((AddFile) o, path, deletionVectorId)) {
            return (AddFile) o;
          }
        }
        return null;
      }
      int bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) == 0) {
        return null;
      }
      Object o = node.slots[Integer.bitCount(node.bitmap & (bit - 1))];
      if (o instanceof AddFile add) {
        return matches(add, path, deletionVectorId) ? add : null;
      }
      node = (Node) o;
      shift += BITS;
    }
    return null;
  }

  @Override
  public Set<Entry<FileKey, AddFile>> entrySet() {
    if (entrySet == null) {
      entrySet = new AbstractSet<>() {
        @Override
        public Iterator<Entry<FileKey, AddFile>> iterator() {
          Iterator<AddFile> values = fileIterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return values.hasNext();
            }

            @Override
            public Entry<FileKey, AddFile> next() {
              AddFile add = values.next();
              return new SimpleImmutableEntry<>(add.fileKey(), add);
            }
          };
        }

        @Override
        public int size() {
          return size;
        }

        @Override
        public boolean contains(Object o) {
          return o instanceof Entry<?, ?> e && e.getValue() != null && e.getValue().equals(get(e.getKey()));
        }
      };
    }
    return entrySet;
  }

  @Override
  public Collection<AddFile> values() {
    if (values == null) {
      values = new AbstractCollection<>() {
        @Override
        public Iterator<AddFile> iterator() {
          return fileIterator();
        }

        @Override
        public int size() {
          return size;
        }
      };
    }
    return values;
  }

  @Override
  public boolean equals(Object o) {
    if (o instanceof FileMap other
        && (files != null ? other.files == files : other.files == null && other.root == root)) {
      return true;
    }
    return super.equals(o);
  }

  private Iterator<AddFile> fileIterator() {
    return files != null ? Arrays.asList(files).iterator() : new FileIterator(root);
  }

  /** The trie: built from {@link #files} the first time (by whichever thread comes first; all build the same). */
  private Node root() {
    Node built = root;
    if (built == null && files != null) {
      Builder builder = new Builder();
      for (AddFile file : files) {
        builder.put(file);
      }
      if (builder.size() != size) {
        throw new IllegalStateException("a file map of " + size + " files holds " + (size - builder.size())
            + " with the key of another");
      }
      built = builder.build().root;
      root = built;
    }
    return built;
  }

  @Override
  public int hashCode() {
    int h = 0;
    for (AddFile add : values()) {
      h += add.fileKey().hashCode() ^ add.hashCode();
    }
    return h;
  }

  private static int hash(String path, String deletionVectorId) {
    int h = path.hashCode() * 31 + (deletionVectorId == null ? 0 : deletionVectorId.hashCode());
    return h ^ (h >>> 16);
  }

  private static String dvId(AddFile add) {
    return add.deletionVector().map(DeletionVectorDescriptor::uniqueId).orElse(null);
  }

  private static int hashOf(AddFile add) {
    return hash(add.path(), dvId(add));
  }

  private static boolean matches(AddFile add, String path, String deletionVectorId) {
    if (!add.path().equals(path)) {
      return false;
    }
    return deletionVectorId == null ? add.deletionVector().isEmpty() : deletionVectorId.equals(dvId(add));
  }

  /**
   * A trie node: {@code slots} holds, in the order of the 5-bit hash fragments set in
   * {@code bitmap}, files and child nodes; a collision node holds files of equal hashes only.
   * Only the builder whose token is {@code owner} may change it, and only before it builds.
   */
  private static final class Node {
    Object owner;
    int bitmap;
    Object[] slots;
    final boolean collision;

    Node(Object owner, int bitmap, Object[] slots, boolean collision) {
      this.owner = owner;
      this.bitmap = bitmap;
      this.slots = slots;
      this.collision = collision;
    }
  }

  /** Depth-first over the trie; at most 8 levels (7 of 5 bits, then a collision node). */
  private static final class FileIterator implements Iterator<AddFile> {
    private final Node[] nodes = new Node[8];
    private final int[] positions = new int[8];
    private int depth = -1;
    private AddFile next;

    FileIterator(Node root) {
      if (root != null) {
        depth = 0;
        nodes[0] = root;
      }
      advance();
    }

    private void advance() {
      next = null;
      while (depth >= 0) {
        Node node = nodes[depth];
        if (positions[depth] == node.slots.length) {
          positions[depth] = 0;
          depth--;
          continue;
        }
        Object o = node.slots[positions[depth]++];
        if (o instanceof AddFile add) {
          next = add;
          return;
        }
        depth++;
        nodes[depth] = (Node) o;
        positions[depth] = 0;
      }
    }

    @Override
    public boolean hasNext() {
      return next != null;
    }

    @Override
    public AddFile next() {
      if (next == null) {
        throw new NoSuchElementException();
      }
      AddFile result = next;
      advance();
      return result;
    }
  }

  /**
   * Puts and removes files, then {@link #build()}s the map. Not thread-safe; a built map never
   * changes, whatever the builder does next.
   */
  public static final class Builder {
    private Object edit = new Object();
    private Node root;
    private int size;
    private boolean changedSize;

    private Builder() {}

    private Builder(FileMap base) {
      this.root = base.root();
      this.size = base.size;
    }

    /** Number of files so far. */
    public int size() {
      return size;
    }

    /** Adds {@code add} (with {@code dataChange=false}), replacing the file with its key. */
    public Builder put(AddFile add) {
      AddFile file = add.dataChange() ? add.withDataChange(false) : add;
      String dv = dvId(file);
      int hash = hash(file.path(), dv);
      changedSize = false;
      if (root == null) {
        root = new Node(edit, 0, new Object[0], false);
      }
      root = put(root, 0, hash, file, dv);
      if (changedSize) {
        size++;
      }
      return this;
    }

    /** Removes the file with this key, if any. */
    public Builder remove(FileKey key) {
      if (root == null) {
        return this;
      }
      String dv = key.deletionVectorId().orElse(null);
      changedSize = false;
      root = remove(root, 0, hash(key.path(), dv), key.path(), dv);
      if (changedSize) {
        size--;
      }
      return this;
    }

    /** The map of the files put and not removed; later changes copy what it holds. */
    public FileMap build() {
      edit = new Object();
      return size == 0 ? EMPTY : new FileMap(root, size);
    }

    private Node editable(Node node) {
      return node.owner == edit ? node : new Node(edit, node.bitmap, node.slots.clone(), node.collision);
    }

    private Node withSlots(Node node, int bitmap, Object[] slots) {
      if (node.owner == edit) {
        node.bitmap = bitmap;
        node.slots = slots;
        return node;
      }
      return new Node(edit, bitmap, slots, node.collision);
    }

    private Node put(Node node, int shift, int hash, AddFile add, String dv) {
      if (node.collision) {
        for (int i = 0; i < node.slots.length; i++) {
          if (matches((AddFile) node.slots[i], add.path(), dv)) {
            Node n = editable(node);
            n.slots[i] = add;
            return n;
          }
        }
        changedSize = true;
        Object[] slots = Arrays.copyOf(node.slots, node.slots.length + 1);
        slots[node.slots.length] = add;
        return withSlots(node, 0, slots);
      }
      int bit = 1 << ((hash >>> shift) & MASK);
      int index = Integer.bitCount(node.bitmap & (bit - 1));
      if ((node.bitmap & bit) == 0) {
        changedSize = true;
        Object[] slots = new Object[node.slots.length + 1];
        System.arraycopy(node.slots, 0, slots, 0, index);
        slots[index] = add;
        System.arraycopy(node.slots, index, slots, index + 1, node.slots.length - index);
        return withSlots(node, node.bitmap | bit, slots);
      }
      Object o = node.slots[index];
      Object replacement;
      if (o instanceof AddFile existing) {
        if (matches(existing, add.path(), dv)) {
          replacement = add;
        } else {
          changedSize = true;
          replacement = pair(existing, hashOf(existing), add, hash, shift + BITS);
        }
      } else {
        Node child = (Node) o;
        replacement = put(child, shift + BITS, hash, add, dv);
        if (replacement == child) {
          return node;
        }
      }
      Node n = editable(node);
      n.slots[index] = replacement;
      return n;
    }

    /** A node holding two files of different keys, from {@code shift} on. */
    private Node pair(AddFile a, int hashA, AddFile b, int hashB, int shift) {
      if (shift > MAX_SHIFT) {
        return new Node(edit, 0, new Object[] {a, b}, true);
      }
      int fa = (hashA >>> shift) & MASK;
      int fb = (hashB >>> shift) & MASK;
      if (fa == fb) {
        return new Node(edit, 1 << fa, new Object[] {pair(a, hashA, b, hashB, shift + BITS)}, false);
      }
      return new Node(edit, (1 << fa) | (1 << fb), fa < fb ? new Object[] {a, b} : new Object[] {b, a}, false);
    }

    /** {@code node} without the file, {@code null} when nothing is left. */
    private Node remove(Node node, int shift, int hash, String path, String dv) {
      if (node.collision) {
        for (int i = 0; i < node.slots.length; i++) {
          if (matches((AddFile) node.slots[i], path, dv)) {
            changedSize = true;
            return node.slots.length == 1 ? null : withSlots(node, 0, without(node.slots, i));
          }
        }
        return node;
      }
      int bit = 1 << ((hash >>> shift) & MASK);
      if ((node.bitmap & bit) == 0) {
        return node;
      }
      int index = Integer.bitCount(node.bitmap & (bit - 1));
      Object o = node.slots[index];
      if (o instanceof AddFile existing) {
        if (!matches(existing, path, dv)) {
          return node;
        }
        changedSize = true;
        return node.slots.length == 1 ? null : withSlots(node, node.bitmap & ~bit, without(node.slots, index));
      }
      Node child = (Node) o;
      Node changed = remove(child, shift + BITS, hash, path, dv);
      if (changed == null) {
        return node.slots.length == 1 ? null : withSlots(node, node.bitmap & ~bit, without(node.slots, index));
      }
      // a child left with one file gives it to its parent: lookups stop at the first file they meet
      Object replacement = changed.slots.length == 1 && changed.slots[0] instanceof AddFile only ? only : changed;
      if (replacement == child) {
        return node;
      }
      Node n = editable(node);
      n.slots[index] = replacement;
      return n;
    }

    private static Object[] without(Object[] slots, int index) {
      Object[] result = new Object[slots.length - 1];
      System.arraycopy(slots, 0, result, 0, index);
      System.arraycopy(slots, index + 1, result, index, slots.length - index - 1);
      return result;
    }
  }
}
