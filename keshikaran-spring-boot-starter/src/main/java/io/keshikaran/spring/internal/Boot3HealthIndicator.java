package io.keshikaran.spring.internal;

import org.springframework.boot.actuate.health.AbstractHealthIndicator;
import org.springframework.boot.actuate.health.Health;

/** The classifier's health on Spring Boot 3 ({@code org.springframework.boot.actuate.health}). */
public final class Boot3HealthIndicator extends AbstractHealthIndicator {

    private final HealthDetails health;

    public Boot3HealthIndicator(HealthDetails health) {
        super("keshikaran health check failed");
        this.health = health;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        (health.up() ? builder.up() : builder.outOfService()).withDetails(health.details());
    }
}
