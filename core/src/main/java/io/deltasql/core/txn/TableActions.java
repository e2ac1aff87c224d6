package io.deltasql.core.txn;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The actions one transaction stages for one table: what its statements added and
 * removed, the metadata or protocol they set, app transaction and domain actions, and
 * the version of the table they read. Immutable; built by {@link TableActionsBuilder},
 * combined by {@link #mergedWith}.
 *
 * <h2>Ownership of the file lists</h2>
 * {@link #adds()}, {@link #removes()} and {@link #statements()} are unmodifiable views of
 * the first {@code n} elements of append-only stores: nothing is copied when the builder
 * hands them over, and nothing is copied when a later statement's actions are merged in
 * (they are appended to the same store, behind the views that already exist, which
 * therefore never change). A million adds exist once in memory however many statements
 * and merges they go through. The views are not serializable and their equality is
 * element-wise; {@link #hashCode()} uses only the sizes, so that hashing stays O(1).
 *
 * <h2>Order</h2>
 * Statements keep their staging order ({@link #statements()} says where each one's files
 * lie); within a statement, removes apply before adds. A remove of a file that an earlier
 * statement of the same transaction added cancels it; {@link #netChanges()} gives what
 * the commit writes after such cancellations.
 */
public final class TableActions {
  /** The read version of a table the transaction creates: it has no version yet. */
  public static final long NEW_TABLE = -1;

  private final String table;
  private final long readVersion;
  private final List<AddFile> adds;
  private final List<RemoveFile> removes;
  private final Optional<Metadata> metadata;
  private final Optional<Protocol> protocol;
  private final List<SetTransaction> appTransactions;
  private final List<DomainMetadata> domainMetadata;
  private final List<StagedStatement> statements;

  TableActions(String table, long readVersion, List<AddFile> adds, List<RemoveFile> removes,
      Optional<Metadata> metadata, Optional<Protocol> protocol, List<SetTransaction> appTransactions,
      List<DomainMetadata> domainMetadata, List<StagedStatement> statements) {
    this.table = Objects.requireNonNull(table, "table");
    this.readVersion = readVersion;
    this.adds = Objects.requireNonNull(adds, "adds");
    this.removes = Objects.requireNonNull(removes, "removes");
    this.metadata = Objects.requireNonNull(metadata, "metadata");
    this.protocol = Objects.requireNonNull(protocol, "protocol");
    this.appTransactions = List.copyOf(appTransactions);
    this.domainMetadata = List.copyOf(domainMetadata);
    this.statements = Objects.requireNonNull(statements, "statements");
  }

  /** The table's catalog identifier. */
  public String table() {
    return table;
  }

  /** The table version the (first) statement read, or {@link #NEW_TABLE}. */
  public long readVersion() {
    return readVersion;
  }

  /** Whether the transaction creates this table. */
  public boolean isNewTable() {
    return readVersion == NEW_TABLE;
  }

  /** Every staged add, in staging order; an unmodifiable view (see the class comment). */
  public List<AddFile> adds() {
    return adds;
  }

  /** Every staged remove, in staging order; an unmodifiable view. */
  public List<RemoveFile> removes() {
    return removes;
  }

  /** The new metadata, if a statement changed it (the last one staged wins). */
  public Optional<Metadata> metadata() {
    return metadata;
  }

  /** The new protocol, if a statement changed it (the last one staged wins). */
  public Optional<Protocol> protocol() {
    return protocol;
  }

  /** App transaction ({@code txn}) actions, at most one per application id (the last staged wins). */
  public List<SetTransaction> appTransactions() {
    return appTransactions;
  }

  /** Domain metadata actions, at most one per domain (the last staged wins). */
  public List<DomainMetadata> domainMetadata() {
    return domainMetadata;
  }

  /** The statements whose actions these are, in staging order. */
  public List<StagedStatement> statements() {
    return statements;
  }

  /** The adds of one statement of {@link #statements()}: a view, no copy. */
  public List<AddFile> addsOf(StagedStatement statement) {
    requireOwn(statement);
    return adds.subList(statement.firstAdd(), statement.firstAdd() + statement.addCount());
  }

  /** The removes of one statement of {@link #statements()}: a view, no copy. */
  public List<RemoveFile> removesOf(StagedStatement statement) {
    requireOwn(statement);
    return removes.subList(statement.firstRemove(), statement.firstRemove() + statement.removeCount());
  }

  /**
   * The operation the table's commit records. One statement (or several of the same
   * operation): that operation. Several different ones: {@code TRANSACTION} with
   * parameters {@code statementCount} and {@code operations} (a JSON array of the distinct
   * operation names, in first-staged order).
   */
  public TableOperation operation() {
    if (statements.isEmpty()) {
      return TableOperation.WRITE;
    }
    TableOperation first = statements.get(0).operation();
    Set<String> names = new LinkedHashSet<>();
    boolean allEqual = true;
    for (StagedStatement s : statements) {
      names.add(s.operation().name());
      allEqual &= s.operation().equals(first);
    }
    if (allEqual) {
      return first;
    }
    Map<String, String> params = new LinkedHashMap<>();
    params.put("statementCount", Integer.toString(statements.size()));
    params.put("operations", names.stream().map(TableActions::jsonString)
        .collect(Collectors.joining(",", "[", "]")));
    return new TableOperation("TRANSACTION", params);
  }

  /**
   * Whether these actions only add data files to the table without having read it (no
   * removes, metadata, protocol or domain changes; every add a data change): such a commit
   * commutes with any concurrent commit that does not change the table's schema or protocol.
   */
  public boolean isBlindAppend() {
    return !statements.isEmpty() && statements.stream().allMatch(StagedStatement::blindAppend)
        && removes.isEmpty() && metadata.isEmpty() && protocol.isEmpty() && domainMetadata.isEmpty();
  }

  /** How many actions these are (each add, remove, metadata, protocol, txn and domain action). */
  public long actionCount() {
    return (long) adds.size() + removes.size() + (metadata.isPresent() ? 1 : 0)
        + (protocol.isPresent() ? 1 : 0) + appTransactions.size() + domainMetadata.size();
  }

  /** Whether there is no action at all. */
  public boolean isEmpty() {
    return actionCount() == 0;
  }

  /**
   * The file changes the commit writes: a remove of a file that an earlier statement of
   * this transaction added cancels that add, and neither reaches the commit. Returns the
   * views themselves (no copy) when nothing cancels out. Defined only for actions
   * without duplicates (see {@link ConsistencyViolation.DuplicateFile}).
   */
  public NetFileChanges netChanges() {
    return FileReplay.of(this).netChanges(this);
  }

  /** These actions with another read version: what a commit rebased onto a newer version stages. */
  public TableActions withReadVersion(long newReadVersion) {
    if (isNewTable() || newReadVersion < 0) {
      throw TxnErrors.invalidArgument("cannot rebase the actions of table '" + table + "' from version "
          + readVersion + " to " + newReadVersion
          + ": only an existing table's actions move to another existing version");
    }
    return new TableActions(table, newReadVersion, adds, removes, metadata, protocol, appTransactions,
        domainMetadata, statements);
  }

  /**
   * These actions followed by those of a later statement on the same table. The result
   * keeps this read version (the earliest: conflict checks must cover every commit since
   * the first statement read the table, so keeping it can only find more conflicts, never
   * miss one); a later statement may not have read an older version. The later
   * metadata, protocol, app transaction (per app id) and domain (per domain) replace
   * earlier ones. Files are appended without copying (see the class comment).
   *
   * @throws io.deltasql.core.errors.DeltaException {@code 22023} for another table or an
   *     older read version
   */
  public TableActions mergedWith(TableActions later) {
    requireMergeable(later);
    AppendOnlyList.Appender<AddFile> mergedAdds = new AppendOnlyList.Appender<>(adds);
    mergedAdds.addAll(later.adds);
    AppendOnlyList.Appender<RemoveFile> mergedRemoves = new AppendOnlyList.Appender<>(removes);
    mergedRemoves.addAll(later.removes);
    AppendOnlyList.Appender<StagedStatement> mergedStatements = new AppendOnlyList.Appender<>(statements);
    for (StagedStatement s : later.statements) {
      mergedStatements.add(s.shiftedBy(adds.size(), removes.size()));
    }
    Map<String, SetTransaction> txns = new LinkedHashMap<>();
    appTransactions.forEach(t -> txns.put(t.appId(), t));
    later.appTransactions.forEach(t -> txns.put(t.appId(), t));
    Map<String, DomainMetadata> domains = new LinkedHashMap<>();
    domainMetadata.forEach(d -> domains.put(d.domain(), d));
    later.domainMetadata.forEach(d -> domains.put(d.domain(), d));
    return new TableActions(table, readVersion, mergedAdds.view(), mergedRemoves.view(),
        later.metadata.or(() -> metadata), later.protocol.or(() -> protocol),
        new ArrayList<>(txns.values()), new ArrayList<>(domains.values()), mergedStatements.view());
  }

  /** Refuses {@code later} if {@link #mergedWith} would: another table, or an older read version. */
  void requireMergeable(TableActions later) {
    Checks.notNull(later, "later actions");
    if (!table.equals(later.table)) {
      throw TxnErrors.tableMismatch(table, later.table);
    }
    boolean regression = isNewTable() ? !later.isNewTable() : later.readVersion < readVersion;
    if (regression) {
      throw TxnErrors.readVersionRegression(table, readVersion, later.readVersion);
    }
  }

  /** The {@link #actionCount()} that {@code mergedWith(later)} would have, computed without merging. */
  long actionCountMergedWith(TableActions later) {
    Set<String> apps = new HashSet<>();
    appTransactions.forEach(t -> apps.add(t.appId()));
    later.appTransactions.forEach(t -> apps.add(t.appId()));
    Set<String> domains = new HashSet<>();
    domainMetadata.forEach(d -> domains.add(d.domain()));
    later.domainMetadata.forEach(d -> domains.add(d.domain()));
    return (long) adds.size() + later.adds.size() + removes.size() + later.removes.size()
        + (metadata.isPresent() || later.metadata.isPresent() ? 1 : 0)
        + (protocol.isPresent() || later.protocol.isPresent() ? 1 : 0)
        + apps.size() + domains.size();
  }

  /** Element-wise equality of every component (O(n) in the number of files). */
  @Override
  public boolean equals(Object o) {
    return o instanceof TableActions other
        && table.equals(other.table)
        && readVersion == other.readVersion
        && metadata.equals(other.metadata)
        && protocol.equals(other.protocol)
        && appTransactions.equals(other.appTransactions)
        && domainMetadata.equals(other.domainMetadata)
        && statements.equals(other.statements)
        && adds.equals(other.adds)
        && removes.equals(other.removes);
  }

  /** A hash of the table, read version and sizes only, so that it stays O(1). */
  @Override
  public int hashCode() {
    return Objects.hash(table, readVersion, adds.size(), removes.size(), metadata.isPresent(),
        protocol.isPresent(), statements.size());
  }

  /** A summary: counts, not the files. */
  @Override
  public String toString() {
    return "TableActions[table=" + table + ", readVersion=" + readVersion + ", adds=" + adds.size()
        + ", removes=" + removes.size() + ", metadata=" + metadata.isPresent() + ", protocol="
        + protocol.isPresent() + ", appTransactions=" + appTransactions.size() + ", domains="
        + domainMetadata.size() + ", statements=" + statements.size() + ", operation="
        + operation().name() + "]";
  }

  private void requireOwn(StagedStatement statement) {
    Checks.notNull(statement, "statement");
    if ((long) statement.firstAdd() + statement.addCount() > adds.size()
        || (long) statement.firstRemove() + statement.removeCount() > removes.size()) {
      throw TxnErrors.invalidArgument("the statement " + statement + " is not one of the statements of " + this);
    }
  }

  private static String jsonString(String s) {
    StringBuilder b = new StringBuilder(s.length() + 2).append('"');
    for (char c : s.toCharArray()) {
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> b.append("\\\\");
        default -> {
          if (c < 0x20) {
            b.append(String.format("\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }
}
