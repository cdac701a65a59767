package io.keshikaran.spring.internal;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.spring.ModerationPolicy;
import io.keshikaran.spring.SafeImage;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.springframework.core.io.InputStreamSource;
import org.springframework.core.io.Resource;
import org.springframework.util.ClassUtils;
import org.springframework.web.multipart.MultipartFile;

/**
 * The validators of {@link SafeImage}, one per input type. Spring creates them with the context's
 * {@link Classifier} and {@link ModerationPolicy} beans.
 */
public final class SafeImageValidators {

    private static final boolean WEB = ClassUtils.isPresent("org.springframework.web.multipart.MultipartFile",
            SafeImageValidators.class.getClassLoader());
    private static final boolean HIBERNATE = ClassUtils.isPresent(
            "org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext",
            SafeImageValidators.class.getClassLoader());

    private SafeImageValidators() {
    }

    /** Classifies, and turns a high score or an undecodable input into a violation. */
    abstract static class Base<T> implements ConstraintValidator<SafeImage, T> {
        private final Classifier classifier;
        private final ModerationPolicy policy;
        private double maxScore;
        private String undecodableMessage;

        Base(Classifier classifier, ModerationPolicy policy) {
            this.classifier = classifier;
            this.policy = policy;
        }

        @Override
        public void initialize(SafeImage annotation) {
            double max = annotation.maxScore();
            if (max > 1 || Double.isNaN(max)) {
                throw new IllegalArgumentException("@SafeImage(maxScore) must be within 0..1, or negative for "
                        + "keshikaran.reject-threshold; got " + max);
            }
            maxScore = max < 0 ? policy.rejectThreshold() : max;
            undecodableMessage = annotation.undecodableMessage();
        }

        abstract Classification classify(Classifier classifier, T value) throws InvalidImageException, IOException;

        @Override
        public boolean isValid(T value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            Classification c;
            try {
                c = classify(classifier, value);
            } catch (InvalidImageException e) {
                violation(context, undecodableMessage, Map.of("reason", e.reason(), "source", e.source()));
                return false;
            } catch (IOException e) {
                // An upload that cannot be read is the client's problem, like an undecodable one.
                violation(context, undecodableMessage, Map.of("reason", "cannot be read: " + e.getMessage(),
                        "source", "upload"));
                return false;
            }
            if (c.score() < maxScore) {
                return true;
            }
            violation(context, context.getDefaultConstraintMessageTemplate(), Map.of(
                    "score", String.format(Locale.ROOT, "%.2f", c.score()),
                    "topLabel", c.topLabel(),
                    "maxScore", String.format(Locale.ROOT, "%.2f", maxScore),
                    "model", c.model().name()));
            return false;
        }

        private static void violation(ConstraintValidatorContext context, String template, Map<String, ?> params) {
            context.disableDefaultConstraintViolation();
            if (HIBERNATE) {
                HibernateParameters.add(context, params);
            }
            context.buildConstraintViolationWithTemplate(template).addConstraintViolation();
        }
    }

    /** Kept apart so that the validators load without Hibernate Validator. */
    private static final class HibernateParameters {
        static void add(ConstraintValidatorContext context, Map<String, ?> params) {
            var hibernate = context.unwrap(
                    org.hibernate.validator.constraintvalidation.HibernateConstraintValidatorContext.class);
            params.forEach((k, v) -> hibernate.addMessageParameter(k, v));
        }
    }

    /** {@code MultipartFile}, {@code Resource} and any other {@link InputStreamSource}. */
    public static final class ForInputStreamSource extends Base<InputStreamSource> {
        public ForInputStreamSource(Classifier classifier, ModerationPolicy policy) {
            super(classifier, policy);
        }

        @Override
        Classification classify(Classifier classifier, InputStreamSource value) throws InvalidImageException, IOException {
            try (InputStream in = value.getInputStream()) {
                return classifier.classify(in, nameOf(value));
            }
        }

        private static String nameOf(InputStreamSource value) {
            if (WEB) {
                String name = MultipartName.of(value);
                if (name != null) {
                    return name;
                }
            }
            return value instanceof Resource r ? r.getDescription() : "upload";
        }
    }

    /** Kept apart so that the validators load without spring-web. */
    private static final class MultipartName {
        static String of(InputStreamSource value) {
            if (value instanceof MultipartFile f) {
                String name = f.getOriginalFilename();
                return name == null || name.isBlank() ? f.getName() : name;
            }
            return null;
        }
    }

    /** An encoded image in memory. */
    public static final class ForBytes extends Base<byte[]> {
        public ForBytes(Classifier classifier, ModerationPolicy policy) {
            super(classifier, policy);
        }

        @Override
        Classification classify(Classifier classifier, byte[] value) throws InvalidImageException {
            return classifier.classify(value, "upload");
        }
    }

    /** An image file. */
    public static final class ForPath extends Base<Path> {
        public ForPath(Classifier classifier, ModerationPolicy policy) {
            super(classifier, policy);
        }

        @Override
        Classification classify(Classifier classifier, Path value) throws InvalidImageException {
            return classifier.classify(value);
        }
    }

    /** An image file. */
    public static final class ForFile extends Base<File> {
        public ForFile(Classifier classifier, ModerationPolicy policy) {
            super(classifier, policy);
        }

        @Override
        Classification classify(Classifier classifier, File value) throws InvalidImageException {
            return classifier.classify(value.toPath());
        }
    }

    /** A stream, read to its end and left open. */
    public static final class ForInputStream extends Base<InputStream> {
        public ForInputStream(Classifier classifier, ModerationPolicy policy) {
            super(classifier, policy);
        }

        @Override
        Classification classify(Classifier classifier, InputStream value) throws InvalidImageException {
            return classifier.classify(value, "upload");
        }
    }
}
