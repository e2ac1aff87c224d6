/**
 * Data files of Delta tables: reading rows out of Parquet files (projection, partition values,
 * column mapping, deletion vectors, row-group skipping) and writing rows into new Parquet files
 * with Delta statistics. Engine-neutral: the planner adapts these rows to its own engine.
 *
 * <h2>Rows and values</h2>
 *
 * <p>A row is an {@code Object[]} holding one value per column, in the order asked for (the
 * table's schema order unless a projection says otherwise); {@code null} is SQL NULL. Each Delta
 * type has exactly one Java class, for reading and writing alike (writers refuse any other):
 *
 * <table>
 *   <caption>Delta type to Java class</caption>
 *   <tr><th>Delta type</th><th>Java value</th></tr>
 *   <tr><td>{@code long}</td><td>{@link java.lang.Long}</td></tr>
 *   <tr><td>{@code integer}</td><td>{@link java.lang.Integer}</td></tr>
 *   <tr><td>{@code short}</td><td>{@link java.lang.Short}</td></tr>
 *   <tr><td>{@code byte}</td><td>{@link java.lang.Byte}</td></tr>
 *   <tr><td>{@code float}</td><td>{@link java.lang.Float}</td></tr>
 *   <tr><td>{@code double}</td><td>{@link java.lang.Double}</td></tr>
 *   <tr><td>{@code boolean}</td><td>{@link java.lang.Boolean}</td></tr>
 *   <tr><td>{@code string}</td><td>{@link java.lang.String}</td></tr>
 *   <tr><td>{@code binary}</td><td>{@code byte[]} (callers must not modify it)</td></tr>
 *   <tr><td>{@code date}</td><td>{@link java.time.LocalDate}</td></tr>
 *   <tr><td>{@code timestamp}</td><td>{@link java.time.Instant}, microsecond precision</td></tr>
 *   <tr><td>{@code timestamp_ntz}</td><td>{@link java.time.LocalDateTime}, microsecond
 *       precision</td></tr>
 *   <tr><td>{@code decimal(p,s)}</td><td>{@link java.math.BigDecimal} whose scale is exactly
 *       {@code s}</td></tr>
 *   <tr><td>{@code struct}</td><td>{@code Object[]}, one value per field in field order</td></tr>
 *   <tr><td>{@code array}</td><td>unmodifiable {@link java.util.List} (elements may be null)</td></tr>
 *   <tr><td>{@code map}</td><td>unmodifiable {@link java.util.Map} in file order (keys are never
 *       null, values may be)</td></tr>
 * </table>
 *
 * <p>Writers are strict: a value of another class, a timestamp with nanoseconds below the
 * microsecond, a decimal that does not fit its precision and scale without rounding, or a string
 * that is not valid Unicode is refused, never silently converted. {@code variant} columns are not
 * supported.
 *
 * <h2>Order of values</h2>
 *
 * <p>Predicates compare values in their natural order: numbers numerically (with {@code -0.0}
 * equal to {@code 0.0} and NaN equal to itself and greater than every other number, as Spark
 * does), strings by their UTF-8 bytes (that is, by code point), binary values as unsigned bytes,
 * {@code false < true}, dates and timestamps chronologically.
 */
package io.deltasql.core.data;
