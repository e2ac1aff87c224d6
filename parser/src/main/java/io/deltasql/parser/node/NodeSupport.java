package io.deltasql.parser.node;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlWriter;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlTypeName;

/** What the node classes share: flags as operands, typed views of lists, unparsing. */
final class NodeSupport {
  private NodeSupport() {
  }

  static SqlLiteral flag(boolean value) {
    return SqlLiteral.createBoolean(value, SqlParserPos.ZERO);
  }

  static boolean flag(SqlNode literal) {
    return ((SqlLiteral) literal).booleanValue();
  }

  static String stringOf(SqlLiteral literal) {
    return literal.getValueAs(String.class);
  }

  static <T extends SqlNode> List<T> listOf(SqlNodeList list, Class<T> type) {
    if (list == null) {
      return List.of();
    }
    final List<T> result = new ArrayList<>(list.size());
    for (SqlNode node : list) {
      result.add(type.cast(node));
    }
    return Collections.unmodifiableList(result);
  }

  static Map<String, String> propertyMap(SqlNodeList properties) {
    if (properties == null) {
      return Map.of();
    }
    final Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i + 1 < properties.size(); i += 2) {
      map.put(stringOf((SqlLiteral) properties.get(i)),
          propertyText((SqlLiteral) properties.get(i + 1)));
    }
    return Collections.unmodifiableMap(map);
  }

  private static String propertyText(SqlLiteral value) {
    if (value.getTypeName() == SqlTypeName.BOOLEAN) {
      return String.valueOf(value.booleanValue());
    }
    if (value instanceof SqlNumericLiteral) {
      return value.getValueAs(BigDecimal.class).toString();
    }
    return stringOf(value);
  }

  static void unparseList(SqlWriter writer, SqlNodeList list) {
    final SqlWriter.Frame frame = writer.startList("(", ")");
    for (SqlNode node : list) {
      writer.sep(",");
      node.unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }

  static void unparseProperties(SqlWriter writer, SqlNodeList properties) {
    final SqlWriter.Frame frame = writer.startList("(", ")");
    for (int i = 0; i + 1 < properties.size(); i += 2) {
      writer.sep(",");
      properties.get(i).unparse(writer, 0, 0);
      writer.keyword("=");
      properties.get(i + 1).unparse(writer, 0, 0);
    }
    writer.endList(frame);
  }
}
