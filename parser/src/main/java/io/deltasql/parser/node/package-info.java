/**
 * Parse trees of deltasql's SQL extensions, built by {@link
 * io.deltasql.parser.node.DeltaSqlNodes} from the generated parser {@code
 * io.deltasql.parser.impl.DeltaSqlParserImpl} (use its {@code FACTORY} with Calcite's
 * {@code SqlParser.config().withParserFactory(...)}).
 *
 * <p>One class per statement. Each is a {@link org.apache.calcite.sql.SqlCall} that
 * unparses to SQL that parses back to an equal tree, and whose operator rebuilds it from
 * its operands, so Calcite's shuttles can copy and rewrite it. Values that may be absent
 * come back as {@code Optional}s or empty lists.
 *
 * <ul>
 *   <li>DDL, of the {@link org.apache.calcite.sql.SqlKind#DDL} kinds (Calcite hands those
 *       to a {@code DdlExecutor}): {@link io.deltasql.parser.node.SqlCreateTable}, {@link
 *       io.deltasql.parser.node.SqlAlterTableAddColumns}, {@link
 *       io.deltasql.parser.node.SqlDropTable}, {@link
 *       io.deltasql.parser.node.SqlCreateSchema}, {@link
 *       io.deltasql.parser.node.SqlDropSchema}; transaction control ({@link
 *       io.deltasql.parser.node.SqlBeginTransaction}, {@link
 *       io.deltasql.parser.node.SqlCommit}, {@link io.deltasql.parser.node.SqlRollback});
 *       maintenance ({@link io.deltasql.parser.node.SqlOptimize}, {@link
 *       io.deltasql.parser.node.SqlVacuum}, {@link io.deltasql.parser.node.SqlCheckpoint}).
 *   <li>Statements that return rows, of kind {@code OTHER}: {@link
 *       io.deltasql.parser.node.SqlShowTables}, {@link
 *       io.deltasql.parser.node.SqlShowSchemas}, {@link
 *       io.deltasql.parser.node.SqlDescribeHistory}.
 *   <li>Time travel in {@code FROM}: {@link io.deltasql.parser.node.SqlVersionAsOf}; {@code
 *       TIMESTAMP AS OF} is Calcite's {@link org.apache.calcite.sql.SqlSnapshot}.
 * </ul>
 *
 * <p>{@code CALL reconcile()} and {@code CALL verify('t')} are Calcite's own procedure
 * calls (kind {@code PROCEDURE_CALL}).
 */
package io.deltasql.parser.node;
