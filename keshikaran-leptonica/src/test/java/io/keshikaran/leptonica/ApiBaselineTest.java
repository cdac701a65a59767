package io.keshikaran.leptonica;

import io.keshikaran.apicheck.ApiBaseline;
import org.junit.jupiter.api.Test;

/** This module's public API against its committed baseline, {@code src/test/resources/api/keshikaran-leptonica.api}. */
class ApiBaselineTest {

    @Test
    void publicApiMatchesTheBaseline() {
        ApiBaseline.check();
    }
}
