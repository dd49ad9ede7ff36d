package io.tradingdr.local.sessions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class LagRecorderTest {

  @Test
  void summarySince_coversOnlyTheSamplesAfterTheMark() {
    LagRecorder recorder = new LagRecorder(10);
    recorder.record(Duration.ofMillis(900));
    long mark = recorder.mark();

    recorder.record(Duration.ofMillis(10));
    recorder.record(Duration.ofMillis(20));

    LagRecorder.Summary since = recorder.summarySince(mark);
    assertThat(since.count()).isEqualTo(2);
    assertThat(since.max()).isEqualTo(Duration.ofMillis(20));
    assertThat(recorder.summary().max()).isEqualTo(Duration.ofMillis(900));
  }

  @Test
  void summarySince_keepsTheMostRecentCapacity_whenMoreCameSinceTheMark() {
    LagRecorder recorder = new LagRecorder(3);
    long mark = recorder.mark();
    for (int ms = 1; ms <= 5; ms++) {
      recorder.record(Duration.ofMillis(ms * 100L));
    }

    LagRecorder.Summary since = recorder.summarySince(mark);

    assertThat(since.count()).isEqualTo(5);
    assertThat(since.p50()).isEqualTo(Duration.ofMillis(400));
    assertThat(since.max()).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void summarySince_isEmpty_withNoSampleAfterTheMark_andRefusesAMarkFromTheFuture() {
    LagRecorder recorder = new LagRecorder(3);
    recorder.record(Duration.ofMillis(5));

    assertThat(recorder.summarySince(recorder.mark()).count()).isZero();
    assertThatThrownBy(() -> recorder.summarySince(2))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("mark must be 0-1, was 2");
  }
}
