package io.keshikaran.spring;

import io.keshikaran.apicheck.ApiBaseline;
import org.junit.jupiter.api.Test;

/** This module's public API against its committed baseline, {@code src/test/resources/api/keshikaran-spring-boot-starter.api}. */
class ApiBaselineTest {

    @Test
    void publicApiMatchesTheBaseline() {
        ApiBaseline.check();
    }
}
