package io.deltasql.core.txn;

import io.deltasql.core.errors.DeltaException;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * The settings of multi-table transactions, immutable and checked on construction. Each
 * component is one {@link MultiTableProperty}; see there for meaning, unit and default.
 *
 * <pre>{@code
 * MultiTableConfig config = MultiTableConfig.fromProperties(props);          // strict
 * MultiTableConfig small = MultiTableConfig.builder().maxTables(5).build();  // in code
 * }</pre>
 *
 * @param maxTables most tables one transaction may write
 * @param maxActions most actions one transaction may stage
 * @param maxActionsPerTable most actions one transaction may stage for one table
 * @param maxAge oldest a transaction may be when it commits
 * @param batchSize rows per batch of catalog reads and writes
 * @param lockTimeout longest wait for a table lock
 * @param commitTimeout longest one catalog commit may take, with its retries
 * @param maxCommitRetries rebase-and-retry attempts of a commit that lost a race
 * @param backoffInitial first wait before a retry
 * @param backoffMax longest wait between retries
 * @param backoffMultiplier growth of the wait after each failed retry
 * @param mirrorMaxRetries immediate retries of a failed mirror write
 * @param mirrorMaxUnmirroredVersions backpressure: unmirrored versions of a table before
 *     commits to it are refused
 * @param metricsEnabled whether metrics are recorded
 * @param slowCommitThreshold commits slower than this are logged
 * @param checkpointInterval versions between two checkpoints of a table
 */
public record MultiTableConfig(
    int maxTables,
    long maxActions,
    long maxActionsPerTable,
    Duration maxAge,
    int batchSize,
    Duration lockTimeout,
    Duration commitTimeout,
    int maxCommitRetries,
    Duration backoffInitial,
    Duration backoffMax,
    double backoffMultiplier,
    int mirrorMaxRetries,
    long mirrorMaxUnmirroredVersions,
    boolean metricsEnabled,
    Duration slowCommitThreshold,
    int checkpointInterval) {

  private static final MultiTableConfig DEFAULTS = defaultsFromEnum();

  /**
   * Checks every value against its setting's bounds, and that the longest backoff is not
   * shorter than the first.
   *
   * @throws DeltaException {@code 22023} naming the setting and the bad value
   */
  public MultiTableConfig {
    MultiTableProperty.MAX_TABLES.check(maxTables);
    MultiTableProperty.MAX_ACTIONS.check(maxActions);
    MultiTableProperty.MAX_ACTIONS_PER_TABLE.check(maxActionsPerTable);
    MultiTableProperty.MAX_AGE_SECONDS.check(maxAge);
    MultiTableProperty.BATCH_SIZE.check(batchSize);
    MultiTableProperty.LOCK_TIMEOUT_MS.check(lockTimeout);
    MultiTableProperty.COMMIT_TIMEOUT_MS.check(commitTimeout);
    MultiTableProperty.MAX_COMMIT_RETRIES.check(maxCommitRetries);
    MultiTableProperty.RETRY_BACKOFF_INITIAL_MS.check(backoffInitial);
    MultiTableProperty.RETRY_BACKOFF_MAX_MS.check(backoffMax);
    MultiTableProperty.RETRY_BACKOFF_MULTIPLIER.check(backoffMultiplier);
    MultiTableProperty.MIRROR_MAX_RETRIES.check(mirrorMaxRetries);
    MultiTableProperty.MIRROR_MAX_UNMIRRORED_VERSIONS.check(mirrorMaxUnmirroredVersions);
    MultiTableProperty.SLOW_COMMIT_THRESHOLD_MS.check(slowCommitThreshold);
    MultiTableProperty.CHECKPOINT_INTERVAL.check(checkpointInterval);
    if (backoffMax.compareTo(backoffInitial) < 0) {
      throw TxnErrors.badConfigValue(MultiTableProperty.RETRY_BACKOFF_MAX_MS,
          MultiTableProperty.RETRY_BACKOFF_MAX_MS.format(backoffMax),
          "must be at least '" + MultiTableProperty.RETRY_BACKOFF_INITIAL_MS.key() + "' ("
              + MultiTableProperty.RETRY_BACKOFF_INITIAL_MS.format(backoffInitial) + ")");
    }
  }

  /** Every setting at its default. */
  public static MultiTableConfig defaults() {
    return DEFAULTS;
  }

  /** A builder starting from the defaults. */
  public static Builder builder() {
    return DEFAULTS.toBuilder();
  }

  /** A builder starting from this configuration. */
  public Builder toBuilder() {
    Builder b = new Builder();
    for (MultiTableProperty p : MultiTableProperty.values()) {
      b.values.put(p, p.read(this));
    }
    return b;
  }

  /**
   * The configuration of {@code properties}: every key must be a {@link MultiTableProperty}
   * key, every value valid for it; absent keys keep their defaults.
   *
   * @throws DeltaException {@code 22023} naming the first unknown key or bad value
   */
  public static MultiTableConfig fromProperties(Properties properties) {
    return fromProperties(properties, "");
  }

  /**
   * The configuration of the keys of {@code properties} that start with {@code prefix}
   * (e.g. {@code txn.} in a connection's properties), the prefix removed; other keys are
   * ignored. Among the prefixed keys, unknown ones are refused as in {@link #fromProperties(Properties)}.
   */
  public static MultiTableConfig fromProperties(Properties properties, String prefix) {
    Checks.notNull(properties, "properties");
    Checks.notNull(prefix, "prefix");
    Builder builder = builder();
    for (Map.Entry<Object, Object> e : properties.entrySet()) {
      if (!(e.getKey() instanceof String fullKey)) {
        throw TxnErrors.invalidArgument("setting key " + e.getKey() + " is not a string");
      }
      if (!fullKey.startsWith(prefix)) {
        continue;
      }
      String key = fullKey.substring(prefix.length());
      MultiTableProperty property = MultiTableProperty.fromKey(key)
          .orElseThrow(() -> TxnErrors.unknownConfigKey(fullKey, MultiTableProperty.nearest(key)));
      builder.set(property, String.valueOf(e.getValue()));
    }
    return builder.build();
  }

  /** This configuration as properties holding every key; {@link #fromProperties} reads it back. */
  public Properties toProperties() {
    Properties props = new Properties();
    for (MultiTableProperty p : MultiTableProperty.values()) {
      props.setProperty(p.key(), p.format(p.read(this)));
    }
    return props;
  }

  /** The value of one setting, of the Java type its {@link MultiTableProperty.Type} names. */
  public Object get(MultiTableProperty property) {
    return Checks.notNull(property, "property").read(this);
  }

  /**
   * The wait before retry number {@code attempt} (0 for the first retry): the initial wait
   * times the multiplier to the power of {@code attempt}, at most {@link #backoffMax()}.
   */
  public Duration backoff(int attempt) {
    double millis = backoffInitial.toMillis() * Math.pow(backoffMultiplier, Math.max(0, attempt));
    return millis >= backoffMax.toMillis() ? backoffMax : Duration.ofMillis((long) millis);
  }

  private static MultiTableConfig defaultsFromEnum() {
    Map<MultiTableProperty, Object> values = new EnumMap<>(MultiTableProperty.class);
    for (MultiTableProperty p : MultiTableProperty.values()) {
      values.put(p, p.parse(p.defaultValue()));
    }
    return new Builder(values).build();
  }

  /** Builds a {@link MultiTableConfig}; every setter takes the component's type. */
  public static final class Builder {
    private final Map<MultiTableProperty, Object> values;

    private Builder() {
      this.values = new EnumMap<>(MultiTableProperty.class);
    }

    private Builder(Map<MultiTableProperty, Object> values) {
      this.values = values;
    }

    /** Sets a setting from its text form, parsed and checked as {@link MultiTableProperty#parse} does. */
    public Builder set(MultiTableProperty property, String value) {
      Checks.notNull(property, "property").apply(this, property.parse(value));
      return this;
    }

    public Builder maxTables(int v) {
      return put(MultiTableProperty.MAX_TABLES, v);
    }

    public Builder maxActions(long v) {
      return put(MultiTableProperty.MAX_ACTIONS, v);
    }

    public Builder maxActionsPerTable(long v) {
      return put(MultiTableProperty.MAX_ACTIONS_PER_TABLE, v);
    }

    public Builder maxAge(Duration v) {
      return put(MultiTableProperty.MAX_AGE_SECONDS, v);
    }

    public Builder batchSize(int v) {
      return put(MultiTableProperty.BATCH_SIZE, v);
    }

    public Builder lockTimeout(Duration v) {
      return put(MultiTableProperty.LOCK_TIMEOUT_MS, v);
    }

    public Builder commitTimeout(Duration v) {
      return put(MultiTableProperty.COMMIT_TIMEOUT_MS, v);
    }

    public Builder maxCommitRetries(int v) {
      return put(MultiTableProperty.MAX_COMMIT_RETRIES, v);
    }

    public Builder backoffInitial(Duration v) {
      return put(MultiTableProperty.RETRY_BACKOFF_INITIAL_MS, v);
    }

    public Builder backoffMax(Duration v) {
      return put(MultiTableProperty.RETRY_BACKOFF_MAX_MS, v);
    }

    public Builder backoffMultiplier(double v) {
      return put(MultiTableProperty.RETRY_BACKOFF_MULTIPLIER, v);
    }

    public Builder mirrorMaxRetries(int v) {
      return put(MultiTableProperty.MIRROR_MAX_RETRIES, v);
    }

    public Builder mirrorMaxUnmirroredVersions(long v) {
      return put(MultiTableProperty.MIRROR_MAX_UNMIRRORED_VERSIONS, v);
    }

    public Builder metricsEnabled(boolean v) {
      return put(MultiTableProperty.METRICS_ENABLED, v);
    }

    public Builder slowCommitThreshold(Duration v) {
      return put(MultiTableProperty.SLOW_COMMIT_THRESHOLD_MS, v);
    }

    public Builder checkpointInterval(int v) {
      return put(MultiTableProperty.CHECKPOINT_INTERVAL, v);
    }

    /**
     * The configuration.
     *
     * @throws DeltaException {@code 22023} when a value is out of bounds
     */
    public MultiTableConfig build() {
      return new MultiTableConfig(
          (Integer) values.get(MultiTableProperty.MAX_TABLES),
          (Long) values.get(MultiTableProperty.MAX_ACTIONS),
          (Long) values.get(MultiTableProperty.MAX_ACTIONS_PER_TABLE),
          (Duration) values.get(MultiTableProperty.MAX_AGE_SECONDS),
          (Integer) values.get(MultiTableProperty.BATCH_SIZE),
          (Duration) values.get(MultiTableProperty.LOCK_TIMEOUT_MS),
          (Duration) values.get(MultiTableProperty.COMMIT_TIMEOUT_MS),
          (Integer) values.get(MultiTableProperty.MAX_COMMIT_RETRIES),
          (Duration) values.get(MultiTableProperty.RETRY_BACKOFF_INITIAL_MS),
          (Duration) values.get(MultiTableProperty.RETRY_BACKOFF_MAX_MS),
          (Double) values.get(MultiTableProperty.RETRY_BACKOFF_MULTIPLIER),
          (Integer) values.get(MultiTableProperty.MIRROR_MAX_RETRIES),
          (Long) values.get(MultiTableProperty.MIRROR_MAX_UNMIRRORED_VERSIONS),
          (Boolean) values.get(MultiTableProperty.METRICS_ENABLED),
          (Duration) values.get(MultiTableProperty.SLOW_COMMIT_THRESHOLD_MS),
          (Integer) values.get(MultiTableProperty.CHECKPOINT_INTERVAL));
    }

    private Builder put(MultiTableProperty property, Object value) {
      values.put(property, value);
      return this;
    }
  }
}
