package dev.sessionrpc.bench.load;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;

class OpenLoopScheduleTest {

    private static final long START = 5_000_000_000L;

    @Test
    void requestsAreDueOneIntervalApartFromTheStart() {
        OpenLoopSchedule s = new OpenLoopSchedule(START, 1000, 0);
        assertThat(LongStream.range(0, 4).map(s::due))
                .containsExactly(START, START + 1_000_000, START + 2_000_000, START + 3_000_000);
    }

    @Test
    void theFirstRequestWaitsForItsPhaseOfOneInterval() {
        assertThat(new OpenLoopSchedule(START, 1000, 0.25).due(0)).isEqualTo(START + 250_000);
    }

    @Test
    void aRateWhoseIntervalIsNotAWholeNanosecondDoesNotDrift() {
        // 30,000 a second is 33,333.3 ns apart: one minute later the schedule is still exact
        OpenLoopSchedule s = new OpenLoopSchedule(START, 30_000, 0);
        assertThat(s.due(30_000L * 60)).isEqualTo(START + 60_000_000_000L);
    }

    @Test
    void connectionsWithEvenPhasesShareTheTotalRateEvenly() {
        // what LoadCommand sets up: 50,000 a second over 64 connections, phase i/64
        List<Long> due = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            OpenLoopSchedule s = new OpenLoopSchedule(START, 50_000.0 / 64, (double) i / 64);
            for (long n = 0; n < 10; n++) {
                due.add(s.due(n));
            }
        }
        due.sort(Long::compare);
        for (int k = 1; k < due.size(); k++) {
            assertThat(due.get(k) - due.get(k - 1)).as("gap before request %d", k).isEqualTo(20_000);
        }
    }

    @Test
    void aRateMustBePositiveAndThePhaseWithinOneInterval() {
        assertThatThrownBy(() -> new OpenLoopSchedule(START, 0, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new OpenLoopSchedule(START, 100, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
