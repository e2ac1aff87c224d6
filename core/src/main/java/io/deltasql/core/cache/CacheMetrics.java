package io.deltasql.core.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/** The snapshot cache's meters, registered once. */
final class CacheMetrics {
  static final String HITS = "deltasql.cache.snapshot.hits";
  static final String MISSES = "deltasql.cache.snapshot.misses";
  static final String ADVANCES = "deltasql.cache.snapshot.advances";
  static final String ADVANCED_VERSIONS = "deltasql.cache.snapshot.advanced.versions";
  static final String FULL_LOADS = "deltasql.cache.snapshot.loads";
  static final String LOAD_TIME = "deltasql.cache.snapshot.load.time";

  final Counter hits;
  final Counter misses;
  final Counter advances;
  final Counter advancedVersions;
  final Counter fullLoads;
  final Timer loadTime;

  CacheMetrics(MeterRegistry registry) {
    hits = Counter.builder(HITS).description("Snapshots served from the cache").register(registry);
    misses = Counter.builder(MISSES).description("Snapshots not in the cache").register(registry);
    advances = Counter.builder(ADVANCES)
        .description("Misses served by advancing a cached snapshot with the new versions only").register(registry);
    advancedVersions = Counter.builder(ADVANCED_VERSIONS)
        .description("Versions read to advance cached snapshots").register(registry);
    fullLoads = Counter.builder(FULL_LOADS).description("Misses served by reading a whole snapshot").register(registry);
    loadTime = Timer.builder(LOAD_TIME).description("Time to build a snapshot on a miss").register(registry);
  }
}
