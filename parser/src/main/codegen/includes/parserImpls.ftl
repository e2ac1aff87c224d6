<#--
  deltasql's statements, types and time travel. Included by Calcite's Parser.jj (see
  config.fmpp for where each production is plugged in). Each rule only recognises
  syntax and hands what it found to io.deltasql.parser.node.DeltaSqlNodes, which builds
  the parse tree and rejects unusable values with their position.
-->

boolean IfNotExistsOpt() :
{
}
{
    LOOKAHEAD(2) <IF> <NOT> <EXISTS> { return true; }
|
    { return false; }
}

boolean IfExistsOpt() :
{
}
{
    // Two tokens, so that "DROP TABLE if" still drops a table called IF.
    LOOKAHEAD(2) <IF> <EXISTS> { return true; }
|
    { return false; }
}

/** Parses "(column, ...)": the columns of CREATE TABLE or ALTER TABLE ... ADD COLUMNS. */
SqlNodeList ColumnDefList() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <LPAREN> { s = span(); }
    AddColumnDef(list) ( <COMMA> AddColumnDef(list) )*
    <RPAREN> {
        return new SqlNodeList(list, s.end(this));
    }
}

/** Parses "name type [NULL | NOT NULL] [COMMENT 'text']"; columns are nullable by default. */
void AddColumnDef(List<SqlNode> list) :
{
    final SqlIdentifier name;
    final SqlDataTypeSpec type;
    final boolean nullable;
    SqlNode comment = null;
}
{
    name = SimpleIdentifier()
    type = DataType()
    nullable = NullableOptDefaultTrue()
    [ <COMMENT> comment = StringLiteral() ]
    {
        list.add(DeltaSqlNodes.column(Span.of(name).end(this), name,
            type.withNullable(nullable), comment));
    }
}

/** Parses "('key' = value, ...)" of TBLPROPERTIES. */
SqlNodeList TablePropertyList() :
{
    final Span s;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <LPAREN> { s = span(); }
    AddTableProperty(list) ( <COMMA> AddTableProperty(list) )*
    <RPAREN> {
        return new SqlNodeList(list, s.end(this));
    }
}

void AddTableProperty(List<SqlNode> list) :
{
    final SqlNode key;
    final SqlNode value;
}
{
    key = StringLiteral()
    <EQ>
    ( value = StringLiteral() | value = NumericLiteral() | value = SpecialLiteral() )
    {
        DeltaSqlNodes.addTableProperty(list, key, value);
    }
}

/**
 * Parses CREATE TABLE in its three forms: with columns, AS query, or only LOCATION
 * (import). The clauses come in this order, as in Hive.
 */
SqlCreate SqlCreateTable(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
    SqlNodeList columns = null;
    SqlNodeList partitionedBy = null;
    SqlNode location = null;
    SqlNodeList properties = null;
    SqlNode query = null;
}
{
    <TABLE> ifNotExists = IfNotExistsOpt() name = CompoundIdentifier()
    [ columns = ColumnDefList() ]
    [ <PARTITIONED> <BY> partitionedBy = ParenthesizedSimpleIdentifierList() ]
    [ <LOCATION> location = StringLiteral() ]
    [ <TBLPROPERTIES> properties = TablePropertyList() ]
    [ <AS> query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY) ]
    {
        return DeltaSqlNodes.createTable(s.end(this), replace, ifNotExists, name, columns,
            partitionedBy, location, properties, query);
    }
}

SqlCreate SqlCreateSchema(Span s, boolean replace) :
{
    final boolean ifNotExists;
    final SqlIdentifier name;
}
{
    <SCHEMA> ifNotExists = IfNotExistsOpt() name = CompoundIdentifier() {
        return DeltaSqlNodes.createSchema(s.end(this), replace, ifNotExists, name);
    }
}

SqlDrop SqlDropTable(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
}
{
    <TABLE> ifExists = IfExistsOpt() name = CompoundIdentifier() {
        return DeltaSqlNodes.dropTable(s.end(this), ifExists, name);
    }
}

SqlDrop SqlDropSchema(Span s, boolean replace) :
{
    final boolean ifExists;
    final SqlIdentifier name;
    boolean cascade = false;
}
{
    <SCHEMA> ifExists = IfExistsOpt() name = CompoundIdentifier()
    [ <CASCADE> { cascade = true; } | <RESTRICT> ]
    {
        return DeltaSqlNodes.dropSchema(s.end(this), ifExists, name, cascade);
    }
}

/** Parses ALTER TABLE name ADD [COLUMN] column, or ADD COLUMNS (column, ...). */
SqlNode SqlAlterTable() :
{
    final Span s;
    final SqlIdentifier name;
    SqlNodeList columns;
    final List<SqlNode> list = new ArrayList<SqlNode>();
}
{
    <ALTER> { s = span(); } <TABLE> name = CompoundIdentifier() <ADD>
    (
        LOOKAHEAD(2) <COLUMNS> columns = ColumnDefList()
    |
        [ <COLUMN> ] AddColumnDef(list) {
            columns = new SqlNodeList(list, getPos());
        }
    )
    {
        return DeltaSqlNodes.alterTableAddColumns(s.end(this), name, columns);
    }
}

/**
 * Parses BEGIN MULTI, BEGIN [TRANSACTION | WORK] or START TRANSACTION, then
 * [ISOLATION LEVEL level] [PRIORITY n].
 */
SqlNode SqlBeginTransaction() :
{
    final Span s;
    boolean multi = false;
    IsolationLevel isolation = null;
    SqlLiteral priority = null;
}
{
    (
        <BEGIN> { s = span(); }
        [ <MULTI> { multi = true; } | <TRANSACTION> | <WORK> ]
    |
        <START> { s = span(); } <TRANSACTION>
    )
    [ <ISOLATION> <LEVEL> isolation = TransactionIsolation() ]
    [ <PRIORITY> priority = NumericLiteral() ]
    {
        return DeltaSqlNodes.beginTransaction(s.end(this), multi, isolation, priority);
    }
}

IsolationLevel TransactionIsolation() :
{
}
{
    <READ> <COMMITTED> { return IsolationLevel.READ_COMMITTED; }
|
    <REPEATABLE> <READ> { return IsolationLevel.REPEATABLE_READ; }
|
    <SERIALIZABLE> { return IsolationLevel.SERIALIZABLE; }
}

SqlNode SqlCommit() :
{
    final Span s;
}
{
    <COMMIT> { s = span(); } [ <WORK> ] {
        return DeltaSqlNodes.commit(s.end(this));
    }
}

SqlNode SqlRollback() :
{
    final Span s;
}
{
    <ROLLBACK> { s = span(); } [ <WORK> ] {
        return DeltaSqlNodes.rollback(s.end(this));
    }
}

/**
 * Parses DESCRIBE HISTORY name [LIMIT n]. Chosen on "DESCRIBE HISTORY"; when no table
 * name follows, HISTORY is itself the table (or schema) name, and this is Calcite's
 * DESCRIBE [TABLE] name [column].
 */
SqlNode SqlDescribeHistory() :
{
    final Span s;
    final SqlIdentifier table;
    SqlIdentifier column = null;
    SqlLiteral limit = null;
}
{
    <DESCRIBE> { s = span(); }
    (
        LOOKAHEAD(2)
        <HISTORY> table = CompoundIdentifier()
        [ <LIMIT> limit = UnsignedNumericLiteral() ]
        {
            return DeltaSqlNodes.describeHistory(s.end(this), table, limit);
        }
    |
        table = CompoundIdentifier() [ column = SimpleIdentifier() ] {
            return new SqlDescribeTable(s.add(table).addIf(column).pos(), table, column);
        }
    )
}

// OPTIMIZE, VACUUM and CHECKPOINT are not reserved words, so SqlStmt only chooses
// their rules if the two tokens match; the table name is optional to the grammar so
// that its absence is reported as such (by DeltaSqlNodes), not as a bad expression.

SqlNode SqlOptimize() :
{
    final Span s;
    SqlIdentifier table = null;
    SqlNode where = null;
}
{
    <OPTIMIZE> { s = span(); } [ table = CompoundIdentifier() ] [ where = Where() ] {
        return DeltaSqlNodes.optimize(s.end(this), table, where);
    }
}

SqlNode SqlVacuum() :
{
    final Span s;
    SqlIdentifier table = null;
    SqlLiteral retainHours = null;
    boolean dryRun = false;
}
{
    <VACUUM> { s = span(); }
    [ LOOKAHEAD({ !atVacuumClause() }) table = CompoundIdentifier() ]
    [ <RETAIN> retainHours = NumericLiteral() <HOURS> ]
    [ <DRY> <RUN> { dryRun = true; } ]
    {
        return DeltaSqlNodes.vacuum(s.end(this), table, retainHours, dryRun);
    }
}

/**
 * Whether the next tokens start RETAIN n HOURS or DRY RUN rather than a table name
 * (a table may be called RETAIN or DRY).
 */
JAVACODE boolean atVacuumClause() {
    final int next = getToken(2).kind;
    return getToken(1).kind == DRY && next == RUN
        || getToken(1).kind == RETAIN && next != DOT && next != RETAIN && next != DRY
            && next != SEMICOLON && next != EOF;
}

SqlNode SqlCheckpoint() :
{
    final Span s;
    SqlIdentifier table = null;
}
{
    <CHECKPOINT> { s = span(); } [ table = CompoundIdentifier() ] {
        return DeltaSqlNodes.checkpoint(s.end(this), table);
    }
}

SqlNode SqlShowTables() :
{
    final Span s;
    SqlIdentifier schema = null;
}
{
    <SHOW> { s = span(); } <TABLES>
    [ ( <IN> | <FROM> ) schema = CompoundIdentifier() ]
    {
        return DeltaSqlNodes.showTables(s.end(this), schema);
    }
}

SqlNode SqlShowSchemas() :
{
    final Span s;
}
{
    <SHOW> { s = span(); } <SCHEMAS> {
        return DeltaSqlNodes.showSchemas(s.end(this));
    }
}

/**
 * Parses the time travel that may follow a table name in FROM: Calcite's
 * FOR SYSTEM_TIME AS OF, and Delta's VERSION AS OF n and TIMESTAMP AS OF ts.
 * Plugged in by grammar/Parser.jj in place of Calcite's Snapshot().
 */
SqlNode TimeTravel(SqlNode tableRef) :
{
    final Span s;
    final SqlNode e;
}
{
    e = Snapshot(tableRef) { return e; }
|
    <VERSION> { s = span(); } <AS> <OF>
    ( e = NumericLiteral() | e = DynamicParam() )
    {
        return DeltaSqlNodes.versionAsOf(s.end(this), tableRef, e);
    }
|
    <TIMESTAMP> { s = span(); } <AS> <OF>
    e = Expression(ExprContext.ACCEPT_NON_QUERY)
    {
        return DeltaSqlNodes.timestampAsOf(s.end(this), tableRef, e);
    }
}

/**
 * Parses Delta's type names where they differ from Calcite's: STRING, LONG, BYTE,
 * SHORT, TIMESTAMP_NTZ, TIMESTAMP_LTZ, ARRAY<T> and STRUCT<name [:] type, ...>.
 * Each keeps its Delta spelling when unparsed. MAP<K, V> is Calcite's own.
 */
SqlTypeNameSpec DeltaTypeName() :
{
    final Span s;
    final SqlDataTypeSpec elementType;
    final List<SqlIdentifier> fieldNames = new ArrayList<SqlIdentifier>();
    final List<SqlDataTypeSpec> fieldTypes = new ArrayList<SqlDataTypeSpec>();
}
{
    <STRING> {
        return new SqlAlienSystemTypeNameSpec("STRING", SqlTypeName.VARCHAR, getPos());
    }
|
    <LONG> {
        return new SqlAlienSystemTypeNameSpec("LONG", SqlTypeName.BIGINT, getPos());
    }
|
    <BYTE> {
        return new SqlAlienSystemTypeNameSpec("BYTE", SqlTypeName.TINYINT, getPos());
    }
|
    <SHORT> {
        return new SqlAlienSystemTypeNameSpec("SHORT", SqlTypeName.SMALLINT, getPos());
    }
|
    <TIMESTAMP_NTZ> {
        return new SqlAlienSystemTypeNameSpec("TIMESTAMP_NTZ", SqlTypeName.TIMESTAMP,
            getPos());
    }
|
    <TIMESTAMP_LTZ> {
        return new SqlAlienSystemTypeNameSpec("TIMESTAMP_LTZ",
            SqlTypeName.TIMESTAMP_WITH_LOCAL_TIME_ZONE, getPos());
    }
|
    <ARRAY> { s = span(); } <LT> elementType = DataType() <GT> {
        return new SqlCollectionTypeNameSpec(elementType.getTypeNameSpec(),
            SqlTypeName.ARRAY, s.end(this));
    }
|
    <STRUCT> { s = span(); } <LT>
    AddStructField(fieldNames, fieldTypes)
    ( <COMMA> AddStructField(fieldNames, fieldTypes) )*
    <GT> {
        return new SqlRowTypeNameSpec(s.end(this), fieldNames, fieldTypes);
    }
}

/** Parses "name [:] type [NULL | NOT NULL]" of STRUCT; fields are nullable by default. */
void AddStructField(List<SqlIdentifier> fieldNames, List<SqlDataTypeSpec> fieldTypes) :
{
    final SqlIdentifier name;
    final SqlDataTypeSpec type;
    final boolean nullable;
}
{
    name = SimpleIdentifier() [ <COLON> ] type = DataType()
    nullable = NullableOptDefaultTrue()
    {
        fieldNames.add(name);
        fieldTypes.add(type.withNullable(nullable));
    }
}
