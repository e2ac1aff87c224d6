package io.deltasql.core.txn;

import java.util.AbstractList;
import java.util.List;
import java.util.Objects;
import java.util.RandomAccess;

/**
 * The store behind staged file actions: a list that only grows, kept in fixed chunks so
 * that growing never copies the elements (a million adds are never re-copied into a
 * bigger array, nor copied when a statement's actions are merged into a transaction).
 *
 * <p>Because elements are never changed or removed, the first {@code n} elements are
 * immutable once written: a {@link View} of size {@code n} is an immutable list even
 * while the store keeps growing behind it. Several holders may share one store; each
 * appends only where its own view ends ({@link #appendAt}), and a holder whose view is
 * no longer the end of the store (someone else appended first) forks a private copy of
 * its prefix. That copy is the only copy ever made, and only when a builder is reused
 * after its result was staged.
 *
 * <p>Appends are synchronized; views are read without locks and are safe to read from
 * any thread that received them through a happens-before edge (a synchronized getter, a
 * concurrent collection, a thread start).
 */
final class AppendOnlyList<E> {
  private static final int CHUNK_BITS = 10;
  private static final int CHUNK_SIZE = 1 << CHUNK_BITS;
  private static final int CHUNK_MASK = CHUNK_SIZE - 1;
  private static final int FIRST_CAPACITY = 8;

  /** The chunks; replaced, never modified in place, when a chunk is added or the first one grows. */
  private volatile Object[][] chunks = new Object[0][];
  private int size;

  /**
   * Appends {@code element} if the store currently holds exactly {@code position}
   * elements (the caller's view is its end); otherwise changes nothing.
   */
  synchronized boolean appendAt(int position, E element) {
    if (position != size) {
      return false;
    }
    ensureCapacity(size + 1);
    chunks[size >>> CHUNK_BITS][size & CHUNK_MASK] = element;
    size++;
    return true;
  }

  /** Appends all of {@code elements} if the store holds exactly {@code position} elements. */
  synchronized boolean appendAllAt(int position, List<? extends E> elements) {
    if (position != size) {
      return false;
    }
    if (elements.isEmpty()) {
      return true;
    }
    if ((long) size + elements.size() > Integer.MAX_VALUE - 8) {
      throw TxnErrors.invalidArgument("more than " + (Integer.MAX_VALUE - 8)
          + " file actions for one table cannot be staged");
    }
    ensureCapacity(size + elements.size());
    Object[][] c = chunks;
    int i = size;
    for (E e : elements) {
      c[i >>> CHUNK_BITS][i & CHUNK_MASK] = e;
      i++;
    }
    size = i;
    return true;
  }

  /** Whether two lists are views of one store (so that neither was copied from the other). */
  static boolean sameStore(List<?> a, List<?> b) {
    return a instanceof View<?> x && b instanceof View<?> y && x.store == y.store;
  }

  @SuppressWarnings("unchecked")
  E get(int index) {
    return (E) chunks[index >>> CHUNK_BITS][index & CHUNK_MASK];
  }

  private void ensureCapacity(int needed) {
    Object[][] c = chunks;
    int chunkCount = c.length;
    int capacity = chunkCount == 0 ? 0 : (chunkCount - 1) * CHUNK_SIZE + c[chunkCount - 1].length;
    if (needed <= capacity) {
      return;
    }
    Object[][] next;
    if (chunkCount == 0 || (chunkCount == 1 && c[0].length < CHUNK_SIZE)) {
      // Grow the first chunk by doubling (at most CHUNK_SIZE references): small lists stay small.
      int newLength = Math.max(FIRST_CAPACITY, chunkCount == 0 ? 0 : c[0].length);
      while (newLength < Math.min(needed, CHUNK_SIZE)) {
        newLength <<= 1;
      }
      newLength = Math.min(newLength, CHUNK_SIZE);
      Object[] first = new Object[newLength];
      if (chunkCount == 1) {
        System.arraycopy(c[0], 0, first, 0, c[0].length);
      }
      next = new Object[][] {first};
    } else {
      next = c.clone();
    }
    int total = (next.length - 1) * CHUNK_SIZE + next[next.length - 1].length;
    if (total < needed) {
      int more = (needed - total + CHUNK_SIZE - 1) >>> CHUNK_BITS;
      Object[][] grown = new Object[next.length + more][];
      System.arraycopy(next, 0, grown, 0, next.length);
      for (int k = next.length; k < grown.length; k++) {
        grown[k] = new Object[CHUNK_SIZE];
      }
      next = grown;
    }
    chunks = next;
  }

  /** An immutable list of the first {@code size} elements of a store. */
  static final class View<E> extends AbstractList<E> implements RandomAccess {
    private final AppendOnlyList<E> store;
    private final int size;

    private View(AppendOnlyList<E> store, int size) {
      this.store = store;
      this.size = size;
    }

    @Override
    public E get(int index) {
      Objects.checkIndex(index, size);
      return store.get(index);
    }

    @Override
    public int size() {
      return size;
    }
  }

  /**
   * A growing list held by one owner (a builder, a merge): appends to a shared store
   * where it can, forks a private copy of its prefix where it cannot, and hands out
   * immutable {@link View}s of what it holds so far.
   */
  static final class Appender<E> {
    private AppendOnlyList<E> store;
    private int size;

    /** An empty appender. */
    Appender() {
      this.store = new AppendOnlyList<>();
    }

    /** An appender continuing {@code list}: sharing its store when it is a view, else copying it. */
    Appender(List<E> list) {
      if (list instanceof View<E> view) {
        this.store = view.store;
        this.size = view.size;
      } else {
        this.store = new AppendOnlyList<>();
        addAll(list);
      }
    }

    void add(E element) {
      if (!store.appendAt(size, element)) {
        fork();
        store.appendAt(size, element);
      }
      size++;
    }

    void addAll(List<? extends E> elements) {
      if (!store.appendAllAt(size, elements)) {
        fork();
        store.appendAllAt(size, elements);
      }
      size += elements.size();
    }

    int size() {
      return size;
    }

    /** What this appender holds now, as an immutable list. */
    List<E> view() {
      return size == 0 ? List.of() : new View<>(store, size);
    }

    private void fork() {
      AppendOnlyList<E> copy = new AppendOnlyList<>();
      copy.appendAllAt(0, new View<>(store, size));
      store = copy;
    }
  }
}
