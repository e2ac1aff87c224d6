package io.deltasql.core.types;

/** {@code decimal(precision, scale)}: precision 1 to 38, scale 0 to precision. */
public record DecimalType(int precision, int scale) implements DataType {
  public static final int MAX_PRECISION = 38;

  public DecimalType {
    if (precision < 1 || precision > MAX_PRECISION || scale < 0 || scale > precision) {
      throw new IllegalArgumentException(
          "decimal(" + precision + "," + scale + ") is not valid: precision must be 1 to 38"
              + " and scale 0 to precision");
    }
  }

  @Override
  public String typeName() {
    return "decimal(" + precision + "," + scale + ")";
  }
}
