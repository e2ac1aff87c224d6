package io.deltasql.core.txn;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Every setting of multi-table transactions: its key (as written in {@link java.util.Properties}
 * or a URL), category, type, default and lower bound. {@link MultiTableConfig} holds the
 * values; {@link MultiTableConfig#fromProperties} reads them.
 *
 * <p>Durations carry their unit in the key ({@code lockTimeoutMs}, {@code maxAgeSeconds})
 * and are written as whole numbers, so that a bare number is never ambiguous.
 */
public enum MultiTableProperty {
  /** Most tables one transaction may write. */
  MAX_TABLES("maxTables", Category.VALIDATION, Type.INT, "100", 1,
      (b, v) -> b.maxTables((Integer) v), MultiTableConfig::maxTables),
  /** Most actions (adds, removes, metadata, protocol, txn, domain) one transaction may stage. */
  MAX_ACTIONS("maxActions", Category.VALIDATION, Type.LONG, "10000000", 1,
      (b, v) -> b.maxActions((Long) v), MultiTableConfig::maxActions),
  /** Most actions one transaction may stage for a single table. */
  MAX_ACTIONS_PER_TABLE("maxActionsPerTable", Category.VALIDATION, Type.LONG, "5000000", 1,
      (b, v) -> b.maxActionsPerTable((Long) v), MultiTableConfig::maxActionsPerTable),
  /** Oldest a transaction may be when it commits, in seconds since it began. */
  MAX_AGE_SECONDS("maxAgeSeconds", Category.VALIDATION, Type.SECONDS, "3600", 1,
      (b, v) -> b.maxAge((Duration) v), MultiTableConfig::maxAge),
  /** Rows per batch when the catalog is asked about, or written, many files at once. */
  BATCH_SIZE("batchSize", Category.PERFORMANCE, Type.INT, "1000", 1,
      (b, v) -> b.batchSize((Integer) v), MultiTableConfig::batchSize),
  /** Longest wait for a table lock before failing with {@code 55P03}; 0 fails at once. */
  LOCK_TIMEOUT_MS("lockTimeoutMs", Category.PERFORMANCE, Type.MILLIS, "30000", 0,
      (b, v) -> b.lockTimeout((Duration) v), MultiTableConfig::lockTimeout),
  /** Longest one catalog commit (all tables, with its retries) may take. */
  COMMIT_TIMEOUT_MS("commitTimeoutMs", Category.PERFORMANCE, Type.MILLIS, "120000", 1,
      (b, v) -> b.commitTimeout((Duration) v), MultiTableConfig::commitTimeout),
  /** Times a commit that lost a version race is rebased and retried before {@code 40001}. */
  MAX_COMMIT_RETRIES("maxCommitRetries", Category.RELIABILITY, Type.INT, "10", 0,
      (b, v) -> b.maxCommitRetries((Integer) v), MultiTableConfig::maxCommitRetries),
  /** First wait before a retry (commit or mirror). */
  RETRY_BACKOFF_INITIAL_MS("retryBackoffInitialMs", Category.RELIABILITY, Type.MILLIS, "50", 1,
      (b, v) -> b.backoffInitial((Duration) v), MultiTableConfig::backoffInitial),
  /** Longest wait between two retries; at least the initial wait. */
  RETRY_BACKOFF_MAX_MS("retryBackoffMaxMs", Category.RELIABILITY, Type.MILLIS, "5000", 1,
      (b, v) -> b.backoffMax((Duration) v), MultiTableConfig::backoffMax),
  /** Factor by which the wait grows after each failed retry (1 keeps it constant). */
  RETRY_BACKOFF_MULTIPLIER("retryBackoffMultiplier", Category.RELIABILITY, Type.DOUBLE, "2.0", 1,
      (b, v) -> b.backoffMultiplier((Double) v), MultiTableConfig::backoffMultiplier),
  /** Immediate retries of a failed mirror write before it is left to the reconciler. */
  MIRROR_MAX_RETRIES("mirrorMaxRetries", Category.RELIABILITY, Type.INT, "5", 0,
      (b, v) -> b.mirrorMaxRetries((Integer) v), MultiTableConfig::mirrorMaxRetries),
  /** Backpressure: versions of one table that may await mirroring before commits to it are refused. */
  MIRROR_MAX_UNMIRRORED_VERSIONS("mirrorMaxUnmirroredVersions", Category.RELIABILITY, Type.LONG, "1000", 1,
      (b, v) -> b.mirrorMaxUnmirroredVersions((Long) v), MultiTableConfig::mirrorMaxUnmirroredVersions),
  /** Whether commit, conflict and mirror metrics are recorded. */
  METRICS_ENABLED("metricsEnabled", Category.MONITORING, Type.BOOLEAN, "true", 0,
      (b, v) -> b.metricsEnabled((Boolean) v), MultiTableConfig::metricsEnabled),
  /** Commits slower than this are logged at WARN with their tables and versions; 0 logs all. */
  SLOW_COMMIT_THRESHOLD_MS("slowCommitThresholdMs", Category.MONITORING, Type.MILLIS, "1000", 0,
      (b, v) -> b.slowCommitThreshold((Duration) v), MultiTableConfig::slowCommitThreshold),
  /** A checkpoint is written to {@code _delta_log} every this many versions of a table. */
  CHECKPOINT_INTERVAL("checkpointInterval", Category.MAINTENANCE, Type.INT, "10", 1,
      (b, v) -> b.checkpointInterval((Integer) v), MultiTableConfig::checkpointInterval);

  /** What a setting is about. */
  public enum Category {
    /** Consistency checks and limits. */
    VALIDATION,
    /** Batch sizes and timeouts. */
    PERFORMANCE,
    /** Retries, backoff and mirror backpressure. */
    RELIABILITY,
    /** Metrics and logging. */
    MONITORING,
    /** Checkpoints. */
    MAINTENANCE
  }

  /** The type of a setting's value, and how it is parsed and written. */
  public enum Type {
    /** A 32-bit integer. */
    INT,
    /** A 64-bit integer. */
    LONG,
    /** A finite decimal number. */
    DOUBLE,
    /** {@code true} or {@code false}. */
    BOOLEAN,
    /** A {@link Duration} written as whole milliseconds. */
    MILLIS,
    /** A {@link Duration} written as whole seconds. */
    SECONDS
  }

  private final String key;
  private final Category category;
  private final Type type;
  private final String defaultValue;
  private final long minimum;
  private final BiConsumer<MultiTableConfig.Builder, Object> setter;
  private final Function<MultiTableConfig, ?> getter;

  MultiTableProperty(String key, Category category, Type type, String defaultValue, long minimum,
      BiConsumer<MultiTableConfig.Builder, Object> setter, Function<MultiTableConfig, ?> getter) {
    this.key = key;
    this.category = category;
    this.type = type;
    this.defaultValue = defaultValue;
    this.minimum = minimum;
    this.setter = setter;
    this.getter = getter;
  }

  /** The key as written in properties, e.g. {@code maxTables}. */
  public String key() {
    return key;
  }

  public Category category() {
    return category;
  }

  public Type type() {
    return type;
  }

  /** The default, as it would be written in properties. */
  public String defaultValue() {
    return defaultValue;
  }

  /** The smallest allowed value, in the key's unit (not meaningful for booleans). */
  public long minimum() {
    return minimum;
  }

  /** Every key, in declaration order. */
  public static List<String> keys() {
    return Arrays.stream(values()).map(MultiTableProperty::key).toList();
  }

  /** The setting of this exact key, if there is one. */
  public static Optional<MultiTableProperty> fromKey(String key) {
    return Arrays.stream(values()).filter(p -> p.key.equals(key)).findFirst();
  }

  /** The setting whose key is closest to a mistyped one (case or up to two edits), for hints. */
  static Optional<MultiTableProperty> nearest(String key) {
    String lower = key.toLowerCase(Locale.ROOT);
    MultiTableProperty best = null;
    int bestDistance = 3;
    for (MultiTableProperty p : values()) {
      int d = editDistance(lower, p.key.toLowerCase(Locale.ROOT));
      if (d < bestDistance) {
        best = p;
        bestDistance = d;
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * Parses {@code text} as this setting's value and checks its bounds.
   *
   * @throws io.deltasql.core.errors.DeltaException {@code 22023} naming the key and the value
   */
  public Object parse(String text) {
    Checks.notNull(text, "value of '" + key + "'");
    String t = text.trim();
    Object value;
    try {
      value = switch (type) {
        case INT -> Integer.valueOf(t);
        case LONG -> Long.valueOf(t);
        case DOUBLE -> Double.valueOf(t);
        case BOOLEAN -> parseBoolean(t);
        case MILLIS -> Duration.ofMillis(Long.parseLong(t));
        case SECONDS -> Duration.ofSeconds(Long.parseLong(t));
      };
    } catch (NumberFormatException e) {
      throw TxnErrors.badConfigValue(this, text, "expected " + describeType());
    }
    check(value);
    return value;
  }

  /** Writes {@code value} (of this setting's type) as properties hold it. */
  public String format(Object value) {
    return switch (type) {
      case MILLIS -> Long.toString(((Duration) value).toMillis());
      case SECONDS -> Long.toString(((Duration) value).toSeconds());
      default -> String.valueOf(value);
    };
  }

  /** Checks the bounds of a value of this setting's type. */
  void check(Object value) {
    if (value == null) {
      throw TxnErrors.badConfigValue(this, null, "a value is required");
    }
    double number;
    switch (type) {
      case BOOLEAN:
        return;
      case DOUBLE:
        number = (Double) value;
        if (!Double.isFinite(number)) {
          throw TxnErrors.badConfigValue(this, value, "expected a finite number");
        }
        break;
      case MILLIS:
        number = toUnit((Duration) value, true);
        break;
      case SECONDS:
        number = toUnit((Duration) value, false);
        break;
      default:
        number = ((Number) value).doubleValue();
    }
    if (number < minimum) {
      throw TxnErrors.badConfigValue(this, format(value), "must be at least " + minimum);
    }
  }

  void apply(MultiTableConfig.Builder builder, Object value) {
    setter.accept(builder, value);
  }

  Object read(MultiTableConfig config) {
    return getter.apply(config);
  }

  private static double toUnit(Duration d, boolean millis) {
    if (d.isNegative()) {
      return -1;
    }
    return millis ? (double) d.toMillis() : (double) d.toSeconds();
  }

  private Boolean parseBoolean(String t) {
    if (t.equalsIgnoreCase("true")) {
      return Boolean.TRUE;
    }
    if (t.equalsIgnoreCase("false")) {
      return Boolean.FALSE;
    }
    throw new NumberFormatException(t);
  }

  private String describeType() {
    return switch (type) {
      case INT -> "a whole number up to " + Integer.MAX_VALUE;
      case LONG -> "a whole number";
      case DOUBLE -> "a number";
      case BOOLEAN -> "true or false";
      case MILLIS -> "a whole number of milliseconds";
      case SECONDS -> "a whole number of seconds";
    };
  }

  private static int editDistance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] swap = prev;
      prev = cur;
      cur = swap;
    }
    return prev[b.length()];
  }
}
