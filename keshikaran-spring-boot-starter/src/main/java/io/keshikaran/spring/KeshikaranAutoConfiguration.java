package io.keshikaran.spring;

import io.keshikaran.Classifier;
import io.keshikaran.spring.internal.Boot3HealthIndicator;
import io.keshikaran.spring.internal.Boot4HealthIndicator;
import io.keshikaran.spring.internal.ClassificationObserver;
import io.keshikaran.spring.internal.HealthDetails;
import io.keshikaran.spring.internal.MicrometerObserver;
import io.keshikaran.spring.internal.ObservedClassifier;
import io.keshikaran.spring.internal.PropertiesClassifierFactory;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Auto-configures a shared {@link Classifier} from the {@code keshikaran.*} properties
 * ({@link KeshikaranProperties}), a {@link ModerationPolicy}, and, when their libraries are present,
 * a {@code keshikaran} health indicator and Micrometer metrics.
 *
 * <p>The classifier is loaded at start-up, so a bad property or a model that cannot load stops the
 * application with a message naming the property. It is closed, freeing its native memory, when the
 * context shuts down. An application's own {@code Classifier} bean replaces it; it is then used by
 * {@link SafeImage} and the health indicator, but not metered.
 */
@AutoConfiguration
@ConditionalOnClass(Classifier.class)
@ConditionalOnProperty(prefix = KeshikaranProperties.PREFIX, name = "enabled", matchIfMissing = true)
@EnableConfigurationProperties(KeshikaranProperties.class)
public class KeshikaranAutoConfiguration {

    /** The thresholds from {@code keshikaran.review-threshold} and {@code keshikaran.reject-threshold}. */
    @Bean
    @ConditionalOnMissingBean
    public ModerationPolicy keshikaranModerationPolicy(KeshikaranProperties properties) {
        return PropertiesClassifierFactory.policy(properties);
    }

    /** The shared classifier, loaded now and closed with the context. */
    @Bean(destroyMethod = "close")
    @ConditionalOnMissingBean
    public Classifier keshikaranClassifier(KeshikaranProperties properties,
                                           ObjectProvider<ClassificationObserver> observers) {
        List<ClassificationObserver> all = observers.orderedStream().toList();
        ObservedClassifier classifier = new ObservedClassifier(PropertiesClassifierFactory.classifier(properties), all);
        all.forEach(o -> o.loaded(classifier.model()));
        return classifier;
    }

    /** Micrometer metrics, when Micrometer is on the classpath. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(MeterRegistry.class)
    @ConditionalOnProperty(prefix = KeshikaranProperties.PREFIX, name = "metrics.enabled", matchIfMissing = true)
    static class Metrics {
        @Bean
        MicrometerObserver keshikaranMicrometerObserver(ObjectProvider<MeterRegistry> registries,
                                                       ModerationPolicy policy) {
            return new MicrometerObserver(registries, policy);
        }
    }

    /** The {@code keshikaran} health indicator on Spring Boot 3. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.actuate.health.AbstractHealthIndicator")
    @ConditionalOnProperty(name = "management.health.keshikaran.enabled", matchIfMissing = true)
    static class Boot3Health {
        @Bean
        @ConditionalOnMissingBean(name = "keshikaranHealthIndicator")
        Boot3HealthIndicator keshikaranHealthIndicator(Classifier classifier) {
            return new Boot3HealthIndicator(new HealthDetails(classifier));
        }
    }

    /** The {@code keshikaran} health indicator on Spring Boot 4. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "org.springframework.boot.health.contributor.AbstractHealthIndicator")
    @ConditionalOnProperty(name = "management.health.keshikaran.enabled", matchIfMissing = true)
    static class Boot4Health {
        @Bean
        @ConditionalOnMissingBean(name = "keshikaranHealthIndicator")
        Boot4HealthIndicator keshikaranHealthIndicator(Classifier classifier) {
            return new Boot4HealthIndicator(new HealthDetails(classifier));
        }
    }
}
