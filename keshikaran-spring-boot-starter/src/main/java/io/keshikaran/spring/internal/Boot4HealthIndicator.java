package io.keshikaran.spring.internal;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/** The classifier's health on Spring Boot 4 ({@code org.springframework.boot.health.contributor}). */
public final class Boot4HealthIndicator extends AbstractHealthIndicator {

    private final HealthDetails health;

    public Boot4HealthIndicator(HealthDetails health) {
        super("keshikaran health check failed");
        this.health = health;
    }

    @Override
    protected void doHealthCheck(Health.Builder builder) {
        (health.up() ? builder.up() : builder.outOfService()).withDetails(health.details());
    }
}
