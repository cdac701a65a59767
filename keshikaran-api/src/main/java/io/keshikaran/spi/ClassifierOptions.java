package io.keshikaran.spi;

import io.keshikaran.ModelDescription;
import io.keshikaran.ScoreFunction;
import io.keshikaran.image.DecodeOptions;
import io.keshikaran.image.ImageLimits;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the caller asked {@link io.keshikaran.Classifier.Builder} for, handed to a
 * {@link ClassifierProvider}. Immutable.
 *
 * @param modelName      a bundled model's name; used when {@code modelPath} is empty
 * @param modelPath      a model file of the caller's
 * @param description    overrides the description found next to the model
 * @param scoreFunction  overrides the description's score
 * @param imageLimits    the decoder's limits
 * @param poolSize       how many inferences may run at once; 0 chooses automatically
 * @param intraOpThreads threads per inference inside the engine; 0 chooses automatically
 * @param decodeOptions  the decoder's orientation, transparency and animation options
 */
public record ClassifierOptions(
        String modelName,
        Optional<Path> modelPath,
        Optional<ModelDescription> description,
        Optional<ScoreFunction> scoreFunction,
        ImageLimits imageLimits,
        int poolSize,
        int intraOpThreads,
        DecodeOptions decodeOptions) {

    /**
     * Options with {@link DecodeOptions#defaults()}.
     *
     * @param modelName a bundled model's name
     * @param modelPath a model file of the caller's
     * @param description overrides the description found next to the model
     * @param scoreFunction overrides the description's score
     * @param imageLimits the decoder's limits
     * @param poolSize how many inferences may run at once; 0 chooses
     * @param intraOpThreads threads per inference; 0 chooses
     */
    public ClassifierOptions(String modelName, Optional<Path> modelPath, Optional<ModelDescription> description,
                             Optional<ScoreFunction> scoreFunction, ImageLimits imageLimits, int poolSize,
                             int intraOpThreads) {
        this(modelName, modelPath, description, scoreFunction, imageLimits, poolSize, intraOpThreads,
                DecodeOptions.defaults());
    }

    /**
     * How the model is referred to in messages: its path, or its bundled name.
     *
     * @return how the model is referred to in messages: its path, or its bundled name
     */
    public String modelReference() {
        return modelPath.map(Path::toString).orElse(modelName);
    }
}
