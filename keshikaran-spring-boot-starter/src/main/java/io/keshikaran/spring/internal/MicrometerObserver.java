package io.keshikaran.spring.internal;

import io.keshikaran.Classification;
import io.keshikaran.InvalidImageException;
import io.keshikaran.ModelInfo;
import io.keshikaran.spring.Decision;
import io.keshikaran.spring.ModerationPolicy;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.util.concurrent.TimeUnit;
import org.springframework.beans.factory.ObjectProvider;

/**
 * Records classifications in Micrometer. The registry is looked up on first use, so this works
 * whatever order Spring Boot's metrics auto-configuration runs in, on Boot 3 and 4 alike; without a
 * registry nothing is recorded.
 *
 * <ul>
 *   <li>{@value #LATENCY}: timer, tags {@code model}, {@code outcome} ({@code success},
 *       {@code invalid_image}, {@code error}); single calls only, not batch items.</li>
 *   <li>{@value #SCORE}: distribution summary of scores, tag {@code model}, with the thresholds as
 *       histogram buckets.</li>
 *   <li>{@value #DECISIONS}: counter, tags {@code model}, {@code decision} ({@code accept},
 *       {@code review}, {@code reject}).</li>
 *   <li>{@value #ERRORS}: counter, tags {@code model}, {@code kind} (see {@link ErrorKinds}).</li>
 * </ul>
 */
public final class MicrometerObserver implements ClassificationObserver {

    /** Timer of classification latency. */
    public static final String LATENCY = "keshikaran.classification";
    /** Distribution summary of scores. */
    public static final String SCORE = "keshikaran.score";
    /** Counter of decisions. */
    public static final String DECISIONS = "keshikaran.decisions";
    /** Counter of errors. */
    public static final String ERRORS = "keshikaran.errors";

    private final ObjectProvider<MeterRegistry> registries;
    private final ModerationPolicy policy;
    private volatile MeterRegistry registry;

    public MicrometerObserver(ObjectProvider<MeterRegistry> registries, ModerationPolicy policy) {
        this.registries = registries;
        this.policy = policy;
    }

    /** Registers the meters at zero, so they are listed before the first upload. */
    @Override
    public void loaded(ModelInfo model) {
        MeterRegistry r = registry();
        if (r == null) {
            return;
        }
        timer(r, model, "success");
        score(r, model);
        for (Decision d : Decision.values()) {
            decisions(r, model, d.tag());
        }
    }

    @Override
    public void classified(ModelInfo model, Classification c, long nanos) {
        MeterRegistry r = registry();
        if (r == null) {
            return;
        }
        if (nanos >= 0) {
            timer(r, model, "success").record(nanos, TimeUnit.NANOSECONDS);
        }
        score(r, model).record(c.score());
        decisions(r, model, policy.decide(c.score()).tag()).increment();
    }

    @Override
    public void invalidImage(ModelInfo model, InvalidImageException error, long nanos) {
        error(model, "invalid_image", ErrorKinds.of(error), nanos);
    }

    @Override
    public void failed(ModelInfo model, RuntimeException error, long nanos) {
        error(model, "error", ErrorKinds.of(error), nanos);
    }

    private void error(ModelInfo model, String outcome, String kind, long nanos) {
        MeterRegistry r = registry();
        if (r == null) {
            return;
        }
        if (nanos >= 0) {
            timer(r, model, outcome).record(nanos, TimeUnit.NANOSECONDS);
        }
        Counter.builder(ERRORS).description("Images keshikaran could not classify, by kind")
                .tag("model", model.name()).tag("kind", kind).register(r).increment();
    }

    private static Timer timer(MeterRegistry r, ModelInfo model, String outcome) {
        return Timer.builder(LATENCY).description("Time to decode and classify one image")
                .tag("model", model.name()).tag("outcome", outcome).register(r);
    }

    private DistributionSummary score(MeterRegistry r, ModelInfo model) {
        return DistributionSummary.builder(SCORE).description("Scores of classified images, 0 to 1")
                .tag("model", model.name())
                .serviceLevelObjectives(java.util.stream.DoubleStream.of(policy.reviewThreshold(), policy.rejectThreshold())
                        .filter(t -> t > 0).distinct().toArray())
                .register(r);
    }

    private static Counter decisions(MeterRegistry r, ModelInfo model, String decision) {
        return Counter.builder(DECISIONS).description("Classified images by moderation decision")
                .tag("model", model.name()).tag("decision", decision).register(r);
    }

    private MeterRegistry registry() {
        MeterRegistry r = registry;
        if (r == null) {
            r = registries.getIfUnique();
            registry = r;
        }
        return r;
    }
}
