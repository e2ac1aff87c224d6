package io.deltasql.core.data;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.actions.AddFile;
import io.deltasql.core.json.JsonSupport;
import io.deltasql.core.types.DecimalType;
import io.deltasql.core.types.StructField;
import io.deltasql.core.types.StructType;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link FileSkipping} on statistics that are not what the column's type expects. */
class FileSkippingTest {
  private static final TableLayout LAYOUT = TableLayout.of(new StructType(List.of(
      new StructField("amount", new DecimalType(10, 2), true, JsonSupport.mapper().createObjectNode()))),
      List.of(), ColumnMappingMode.NONE, "t");

  private static boolean mightMatch(String stats, BigDecimal literal) {
    AddFile file = AddFile.of("f.parquet", Map.of(), 1, 1, Optional.of(stats));
    return new FileSkipping(LAYOUT, new Predicate.Comparison(List.of("amount"), Predicate.Op.EQ, literal))
        .mightMatch(file);
  }

  /** Jackson reads a string or a boolean as the decimal 0: such bounds prove nothing. */
  @Test
  void decimalBoundsThatAreNotNumbersDoNotSkip() {
    assertTrue(mightMatch("{\"numRecords\":3,\"minValues\":{\"amount\":\"5.00\"},\"maxValues\":{\"amount\":\"9.00\"}}",
        new BigDecimal("7.00")));
    assertTrue(mightMatch("{\"numRecords\":3,\"minValues\":{\"amount\":true},\"maxValues\":{\"amount\":true}}",
        new BigDecimal("7.00")));
    assertFalse(mightMatch("{\"numRecords\":3,\"minValues\":{\"amount\":5.00},\"maxValues\":{\"amount\":6.00}}",
        new BigDecimal("7.00")));
    assertTrue(mightMatch("{\"numRecords\":3,\"minValues\":{\"amount\":5.00},\"maxValues\":{\"amount\":9.00}}",
        new BigDecimal("7.00")));
  }
}
