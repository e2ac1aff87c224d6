package io.deltasql.core.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.deltasql.core.errors.DeltaException;
import io.deltasql.core.errors.SqlState;
import java.time.Duration;
import java.util.Properties;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/** Configuration parsing: valid configurations round-trip; any text either parses or fails with {@code 22023}. */
class ConfigPropertyTest {

  @Property(tries = 200)
  void validConfigurationsRoundTripThroughProperties(
      @ForAll @IntRange(min = 1) int maxTables,
      @ForAll @LongRange(min = 1) long maxActions,
      @ForAll @LongRange(min = 0, max = 1_000_000) long lockMillis,
      @ForAll @LongRange(min = 1, max = 10_000) long backoffInitial,
      @ForAll @LongRange(min = 0, max = 10_000) long backoffExtra,
      @ForAll @DoubleRange(min = 1, max = 100) double multiplier,
      @ForAll boolean metrics) {
    MultiTableConfig c = MultiTableConfig.builder().maxTables(maxTables).maxActions(maxActions)
        .lockTimeout(Duration.ofMillis(lockMillis)).backoffInitial(Duration.ofMillis(backoffInitial))
        .backoffMax(Duration.ofMillis(backoffInitial + backoffExtra)).backoffMultiplier(multiplier)
        .metricsEnabled(metrics).build();
    assertEquals(c, MultiTableConfig.fromProperties(c.toProperties()));
  }

  @Property(tries = 500)
  void anyTextEitherParsesOrIsAnInvalidParameter(@ForAll MultiTableProperty property, @ForAll String text) {
    Properties p = new Properties();
    p.setProperty(property.key(), text);
    try {
      MultiTableConfig c = MultiTableConfig.fromProperties(p);
      assertEquals(property.parse(text), c.get(property));
    } catch (DeltaException e) {
      assertEquals(SqlState.INVALID_PARAMETER_VALUE, e.state());
    }
  }
}
