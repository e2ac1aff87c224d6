package io.deltasql.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.junit.jupiter.api.Test;

class MirrorLagTest {
  @Test
  void aSampleIsTakenWhicheverSideComesFirst() {
    MirrorLag lag = new MirrorLag(10);
    lag.committed(1, 5, 1_000, true); // the writer first
    lag.published(1, 5, 1_007);
    lag.published(2, 5, 2_003); // the mirror first: another table, same version
    lag.committed(2, 5, 2_000, true);
    assertArrayEquals(new long[] {3, 7}, lag.sorted());
  }

  @Test
  void commitsOutsideTheMeasurementAndUnstampedVersionsAreLeftOut() {
    MirrorLag lag = new MirrorLag(10);
    lag.committed(1, 1, 1_000, false);
    lag.published(1, 1, 1_500);
    lag.published(1, 2, 1_600); // a version the writer never stamps (warm-up)
    lag.published(1, 3, 1_700);
    lag.committed(1, 3, 1_650, false);
    assertArrayEquals(new long[0], lag.sorted());
  }

  @Test
  void samplesPastTheCapacityAreDropped() {
    MirrorLag lag = new MirrorLag(2);
    for (int v = 0; v < 5; v++) {
      lag.committed(1, v, 100, true);
      lag.published(1, v, 100 + v);
    }
    assertArrayEquals(new long[] {0, 1}, lag.sorted());
  }
}
