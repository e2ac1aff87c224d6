package io.deltasql.core.txn;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.actions.DomainMetadata;
import io.deltasql.core.actions.Metadata;
import io.deltasql.core.actions.Protocol;
import io.deltasql.core.actions.RemoveFile;
import io.deltasql.core.actions.SetTransaction;
import io.deltasql.core.errors.DeltaException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Collects one statement's actions on one table.
 *
 * <pre>{@code
 * TableActions actions = new TableActionsBuilder("sales.orders", 12)
 *     .addFiles(written)
 *     .removeFiles(rewritten)
 *     .withOperation("MERGE", Map.of("predicate", "[\"id = s.id\"]"))
 *     .readsTable(true)
 *     .buildAndValidate();
 * }</pre>
 *
 * <p>Files are appended to an append-only store; {@link #build()} hands out views of it
 * without copying. The builder may keep being used after {@code build()}: what it appends
 * later is not seen by the actions already built (see {@link TableActions}). A builder is
 * not thread-safe. Every misuse (null, blank names, a read version below
 * {@link TableActions#NEW_TABLE}) is a {@link DeltaException} with {@code 22023}.
 */
public final class TableActionsBuilder {
  private final String table;
  private final long readVersion;
  private final AppendOnlyList.Appender<AddFile> adds = new AppendOnlyList.Appender<>();
  private final AppendOnlyList.Appender<RemoveFile> removes = new AppendOnlyList.Appender<>();
  private final Map<String, SetTransaction> appTransactions = new LinkedHashMap<>();
  private final Map<String, DomainMetadata> domains = new LinkedHashMap<>();
  private Optional<Metadata> metadata = Optional.empty();
  private Optional<Protocol> protocol = Optional.empty();
  private TableOperation operation = TableOperation.WRITE;
  private boolean readsTable;
  private boolean allAddsChangeData = true;

  /**
   * A builder for a statement on {@code table} that read version {@code readVersion}
   * ({@link TableActions#NEW_TABLE} when the statement creates the table).
   */
  public TableActionsBuilder(String table, long readVersion) {
    this.table = Checks.tableName(table);
    if (readVersion < TableActions.NEW_TABLE) {
      throw TxnErrors.invalidArgument("read version " + readVersion + " of table '" + table
          + "' is not valid: use the version the statement read, or -1 for a table it creates");
    }
    this.readVersion = readVersion;
  }

  /** Adds one data file. */
  public TableActionsBuilder addFile(AddFile add) {
    Checks.notNull(add, "add");
    adds.add(add);
    allAddsChangeData &= add.dataChange();
    return this;
  }

  /** Adds data files, in the collection's order (appended, not copied into a new list). */
  public TableActionsBuilder addFiles(Collection<? extends AddFile> files) {
    Checks.noNulls(files, "add files");
    List<? extends AddFile> list = files instanceof List<? extends AddFile> l ? l : new ArrayList<>(files);
    adds.addAll(list);
    for (AddFile add : list) {
      allAddsChangeData &= add.dataChange();
    }
    return this;
  }

  /** Removes one file of the table (or one added by an earlier statement of the transaction). */
  public TableActionsBuilder removeFile(RemoveFile remove) {
    removes.add(Checks.notNull(remove, "remove"));
    return this;
  }

  /** Removes files, in the collection's order. */
  public TableActionsBuilder removeFiles(Collection<? extends RemoveFile> files) {
    Checks.noNulls(files, "remove files");
    removes.addAll(files instanceof List<? extends RemoveFile> l ? l : new ArrayList<>(files));
    return this;
  }

  /** Sets the table's new metadata (schema, partitioning, properties); a second call replaces it. */
  public TableActionsBuilder withMetadata(Metadata newMetadata) {
    metadata = Optional.of(Checks.notNull(newMetadata, "metadata"));
    return this;
  }

  /** Sets the table's new protocol; a second call replaces it. */
  public TableActionsBuilder withProtocol(Protocol newProtocol) {
    protocol = Optional.of(Checks.notNull(newProtocol, "protocol"));
    return this;
  }

  /** Records an application's transaction version; replaces an earlier one of the same app id. */
  public TableActionsBuilder withAppTransaction(SetTransaction txn) {
    Checks.notNull(txn, "app transaction");
    appTransactions.put(txn.appId(), txn);
    return this;
  }

  /** Sets a metadata domain; replaces an earlier one of the same domain. */
  public TableActionsBuilder withDomainMetadata(DomainMetadata domain) {
    Checks.notNull(domain, "domain metadata");
    domains.put(domain.domain(), domain);
    return this;
  }

  /** Names the statement's operation (default {@code WRITE}). */
  public TableActionsBuilder withOperation(String name) {
    return withOperation(name, Map.of());
  }

  /** Names the statement's operation and its parameters. */
  public TableActionsBuilder withOperation(String name, Map<String, String> parameters) {
    operation = new TableOperation(name, parameters);
    return this;
  }

  /**
   * Says whether the statement read the table's data (an UPDATE, DELETE, MERGE, or an
   * INSERT that selects from the same table). A statement that did not, and only adds
   * files, is a blind append; the default is {@code false}.
   */
  public TableActionsBuilder readsTable(boolean reads) {
    readsTable = reads;
    return this;
  }

  /** How many actions are collected so far. */
  public long actionCount() {
    return (long) adds.size() + removes.size() + (metadata.isPresent() ? 1 : 0)
        + (protocol.isPresent() ? 1 : 0) + appTransactions.size() + domains.size();
  }

  /** The actions collected so far, without checks. */
  public TableActions build() {
    boolean blind = !readsTable && adds.size() > 0 && allAddsChangeData && removes.size() == 0
        && metadata.isEmpty() && protocol.isEmpty() && domains.isEmpty();
    StagedStatement statement = new StagedStatement(operation, 0, adds.size(), 0, removes.size(), blind);
    return new TableActions(table, readVersion, adds.view(), removes.view(), metadata, protocol,
        new ArrayList<>(appTransactions.values()), new ArrayList<>(domains.values()), List.of(statement));
  }

  /**
   * The actions collected so far, after the checks that need no catalog: not empty, no
   * file staged twice, well-formed file actions (non-blank paths, sizes not negative,
   * partition values matching a staged metadata's partition columns), and metadata and
   * protocol present when the statement creates the table.
   *
   * @throws DeltaException listing every violation found, with the state of the most
   *     decisive one (see {@link ValidationResult#toException()})
   */
  public TableActions buildAndValidate() {
    TableActions actions = build();
    List<ConsistencyViolation> violations = new ArrayList<>();
    TableActionsChecks.structural(actions, actions.metadata(), FileReplay.of(actions), violations);
    new ValidationResult(Optional.empty(), violations).throwIfInvalid();
    return actions;
  }
}
