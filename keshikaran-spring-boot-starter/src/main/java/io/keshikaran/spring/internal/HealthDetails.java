package io.keshikaran.spring.internal;

import io.keshikaran.Classifier;
import io.keshikaran.ModelInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the health indicators of Boot 3 and Boot 4 report: one implementation, two adapters, since
 * Boot 4 moved {@code HealthIndicator} to another package.
 */
public final class HealthDetails {

    private final Classifier classifier;

    public HealthDetails(Classifier classifier) {
        this.classifier = classifier;
    }

    /** Whether the model is loaded and usable: false once the classifier was closed. */
    public boolean up() {
        return !(classifier instanceof ObservedClassifier o) || !o.isClosed();
    }

    /**
     * {@code loaded}, {@code model}, {@code version} (the model's), {@code engine},
     * {@code libraryVersion} (keshikaran's) and, when known, {@code inFlight}.
     */
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("loaded", up());
        ModelInfo model = classifier.model();
        details.put("model", model.name());
        details.put("version", model.version());
        details.put("engine", model.engine());
        details.put("libraryVersion", model.libraryVersion());
        if (classifier instanceof ObservedClassifier o) {
            details.put("inFlight", o.inFlight());
        }
        return details;
    }
}
