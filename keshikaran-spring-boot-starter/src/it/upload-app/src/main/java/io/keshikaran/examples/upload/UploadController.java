package io.keshikaran.examples.upload;

import io.keshikaran.Classification;
import io.keshikaran.Classifier;
import io.keshikaran.InvalidImageException;
import io.keshikaran.spring.ModerationPolicy;
import io.keshikaran.spring.SafeImage;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.util.Map;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestPart;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MultipartFile;

/** Two ways to guard an upload: a constrained request part, and a validated form object. */
@RestController
public class UploadController {

    private final Classifier classifier;
    private final ModerationPolicy policy;

    public UploadController(Classifier classifier, ModerationPolicy policy) {
        this.classifier = classifier;
        this.policy = policy;
    }

    /** A form with a title and a photo. */
    public record Listing(@NotBlank String title, @NotNull @SafeImage MultipartFile photo) {
    }

    /** Refuses images at or above keshikaran.reject-threshold (a 400 with the reason) and accepts the rest. */
    @PostMapping("/images")
    public Map<String, Object> upload(@RequestPart("image") @SafeImage MultipartFile image) {
        return Map.of("accepted", image.getOriginalFilename(), "bytes", image.getSize());
    }

    /**
     * The same check inside a form object, then the decision for accepted images: accept or, between
     * the two thresholds, review. Classifying twice costs a few milliseconds; a service that needs the
     * score anyway can call the shared classifier alone instead of the constraint.
     */
    @PostMapping("/listings")
    public Map<String, Object> listing(@Valid @ModelAttribute Listing listing) throws IOException, InvalidImageException {
        Classification c = classifier.classify(listing.photo().getBytes(), listing.photo().getOriginalFilename());
        return Map.of("title", listing.title(), "decision", policy.decide(c.score()).tag(), "score", c.score());
    }
}
