package io.keshikaran.opencv;

import io.keshikaran.apicheck.ApiBaseline;
import org.junit.jupiter.api.Test;

/** This module's public API against its committed baseline, {@code src/test/resources/api/keshikaran-opencv.api}. */
class ApiBaselineTest {

    @Test
    void publicApiMatchesTheBaseline() {
        ApiBaseline.check();
    }
}
