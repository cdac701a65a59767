package io.keshikaran.spring;

import static java.lang.annotation.ElementType.ANNOTATION_TYPE;
import static java.lang.annotation.ElementType.FIELD;
import static java.lang.annotation.ElementType.METHOD;
import static java.lang.annotation.ElementType.PARAMETER;
import static java.lang.annotation.ElementType.TYPE_USE;
import static java.lang.annotation.RetentionPolicy.RUNTIME;

import io.keshikaran.spring.internal.SafeImageValidators;
import jakarta.validation.Constraint;
import jakarta.validation.Payload;
import java.lang.annotation.Documented;
import java.lang.annotation.Retention;
import java.lang.annotation.Target;

/**
 * The annotated image must score below {@link #maxScore()} with the application's shared
 * {@link io.keshikaran.Classifier} bean. Works on {@code MultipartFile} and any other Spring
 * {@code InputStreamSource} (such as a {@code Resource}), {@code byte[]}, {@code Path}, {@code File}
 * and {@code InputStream}; {@code null} is valid (add {@code @NotNull} to require an image).
 *
 * <pre>{@code
 * @PostMapping("/upload")
 * String upload(@RequestPart("image") @SafeImage MultipartFile image) { ... }
 * }</pre>
 *
 * <p>Messages, which {@code ContributorValidationMessages.properties} in this jar defines and an
 * application overrides in its {@code ValidationMessages} or {@code messages} bundles:
 * <ul>
 *   <li>{@code io.keshikaran.spring.SafeImage.message} when the score is too high, with the
 *       parameters {@code {score}}, {@code {topLabel}}, {@code {maxScore}} and {@code {model}};</li>
 *   <li>{@code io.keshikaran.spring.SafeImage.undecodable.message} when the input is not a decodable
 *       image (empty, not an image, truncated, over the limits), with {@code {reason}}.</li>
 * </ul>
 * The parameters need Hibernate Validator, Spring Boot's validation provider.
 *
 * <p>An {@code InputStream} is read to its end (not closed); validate a {@code MultipartFile},
 * {@code byte[]} or {@code Path} when the image is needed afterwards. The validator classifies with
 * the context's {@code Classifier} bean, so it runs where Spring creates the validators (Spring MVC,
 * method validation, the {@code Validator} bean), not in a plain {@code Validation.buildDefaultValidatorFactory()}.
 */
@Documented
@Constraint(validatedBy = {
        SafeImageValidators.ForInputStreamSource.class,
        SafeImageValidators.ForBytes.class,
        SafeImageValidators.ForPath.class,
        SafeImageValidators.ForFile.class,
        SafeImageValidators.ForInputStream.class})
@Target({FIELD, METHOD, PARAMETER, ANNOTATION_TYPE, TYPE_USE})
@Retention(RUNTIME)
public @interface SafeImage {

    /** The message key when the score is too high. */
    String message() default "{io.keshikaran.spring.SafeImage.message}";

    /** The message key when the input is not a decodable image. */
    String undecodableMessage() default "{io.keshikaran.spring.SafeImage.undecodable.message}";

    /**
     * Images scoring at or above this are violations, 0 to 1. Negative (the default) means
     * {@code keshikaran.reject-threshold}.
     */
    double maxScore() default -1;

    /** Validation groups. */
    Class<?>[] groups() default {};

    /** Payload. */
    Class<? extends Payload>[] payload() default {};
}
