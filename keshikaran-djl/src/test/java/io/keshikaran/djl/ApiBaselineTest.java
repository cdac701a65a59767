package io.keshikaran.djl;

import io.keshikaran.apicheck.ApiBaseline;
import org.junit.jupiter.api.Test;

/** This module's public API against its committed baseline, {@code src/test/resources/api/keshikaran-djl.api}. */
class ApiBaselineTest {

    @Test
    void publicApiMatchesTheBaseline() {
        ApiBaseline.check();
    }
}
