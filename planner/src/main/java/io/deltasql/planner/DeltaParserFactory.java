package io.deltasql.planner;

import io.deltasql.parser.impl.DeltaSqlParserImpl;
import java.io.Reader;
import org.apache.calcite.server.DdlExecutor;
import org.apache.calcite.sql.parser.SqlAbstractParserImpl;
import org.apache.calcite.sql.parser.SqlParserImplFactory;

/**
 * deltasql's parser with its DDL executor: what the connection's {@code parserFactory}
 * property names ({@code io.deltasql.planner.DeltaParserFactory#INSTANCE}).
 */
public final class DeltaParserFactory {
  /** The parser factory of deltasql connections. */
  public static final SqlParserImplFactory INSTANCE = new SqlParserImplFactory() {
    @Override
    public SqlAbstractParserImpl getParser(Reader stream) {
      return DeltaSqlParserImpl.FACTORY.getParser(stream);
    }

    @Override
    public DdlExecutor getDdlExecutor() {
      return DeltaDdlExecutor.INSTANCE;
    }
  };

  private DeltaParserFactory() {}
}
