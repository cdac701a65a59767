package io.keshikaran.preprocess;

import io.keshikaran.image.RgbImage;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a decoded image into a model's input tensor, following a {@link PreprocessingSpec}.
 * Implementations are stateless and thread-safe.
 *
 * <p>Most models need nothing but {@link #of(PreprocessingSpec)}; implement this interface only
 * for preprocessing a spec cannot express.
 */
public interface Preprocessor {

    /**
     * The spec this preprocessor follows; it fixes the output shape.
     *
     * @return the spec this preprocessor follows; it fixes the output shape
     */
    PreprocessingSpec spec();

    /**
     * Builds the input tensor for one image, with a batch dimension of 1: {@code [1, H, W, 3]} or
     * {@code [1, 3, H, W]} depending on the spec's layout.
     *
     * @param image the image
     * @return the input tensor, {@code [1, H, W, 3]} or {@code [1, 3, H, W]} as the spec's layout says
     */
    FloatTensor preprocess(RgbImage image);

    /**
     * Builds one batched input tensor {@code [n, ...]} for several images.
     *
     * @param images the images
     * @return the batch tensor {@code [n, ...]}
     */
    default FloatTensor preprocessBatch(List<RgbImage> images) {
        List<FloatTensor> items = new ArrayList<>(images.size());
        for (RgbImage image : images) {
            items.add(preprocess(image));
        }
        return FloatTensor.stack(items);
    }

    /**
     * The standard preprocessor for a spec: resize, crop, scale, normalize, reorder.
     *
     * @param spec the preprocessing to follow
     * @return the standard preprocessor for a spec: resize, crop, scale, normalize, reorder
     */
    static Preprocessor of(PreprocessingSpec spec) {
        return new StandardPreprocessor(spec);
    }
}
