package io.deltasql.core.mirror;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.deltasql.core.testing.ManualClock;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** When a run of failed rounds is a systemic failure, and how the pause ends. */
class SystemicFailureDetectorTest {
  private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
  private final SystemicFailureDetector detector = new SystemicFailureDetector(2, Duration.ofMinutes(1), clock);

  @Test
  void pausesAfterTheThresholdOfRoundsInWhichEveryTableFailed() {
    assertFalse(detector.roundFinished(3, 3, Optional.of("down")));
    assertEquals(1, detector.status(false).consecutiveFailedRounds());
    assertTrue(detector.roundFinished(2, 2, Optional.of("still down")));

    MirrorEngineStatus status = detector.status(false);
    assertEquals(MirrorEngineStatus.State.PAUSED, status.state());
    assertEquals(Optional.of(clock.instant().plus(Duration.ofMinutes(1))), status.pausedUntil());
    assertEquals(Optional.of("still down"), status.lastFailure());

    clock.advance(Duration.ofSeconds(59));
    assertTrue(detector.paused());
    clock.advance(Duration.ofSeconds(1));
    assertFalse(detector.paused());
    assertEquals(MirrorEngineStatus.State.RUNNING, detector.status(false).state());
  }

  @Test
  void aRoundWithOneSuccessOrNoWorkIsNoSystemicFailure() {
    detector.roundFinished(3, 3, Optional.of("down"));
    detector.roundFinished(0, 0, Optional.empty());
    assertEquals(1, detector.status(false).consecutiveFailedRounds(), "an idle round changes nothing");
    assertFalse(detector.roundFinished(3, 2, Optional.of("one table")));
    assertEquals(0, detector.status(false).consecutiveFailedRounds());
    assertFalse(detector.roundFinished(3, 3, Optional.of("down")));
    assertFalse(detector.paused());
  }

  @Test
  void anySuccessEndsThePause() {
    detector.roundFinished(1, 1, Optional.of("down"));
    detector.roundFinished(1, 1, Optional.of("down"));
    assertTrue(detector.paused());
    detector.succeeded();
    assertFalse(detector.paused());
    assertEquals(Optional.empty(), detector.status(false).lastFailure());
    assertEquals(MirrorEngineStatus.State.CLOSED, detector.status(true).state());
  }

}
