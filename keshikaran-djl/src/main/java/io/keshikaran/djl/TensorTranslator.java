package io.keshikaran.djl;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import io.keshikaran.preprocess.FloatTensor;

/**
 * Moves a preprocessed batch into the engine and the first output back out, one vector per batch
 * item. Arrays live in the predictor context's manager, so each call frees its native memory.
 */
final class TensorTranslator implements NoBatchifyTranslator<FloatTensor, float[][]> {

    @Override
    public NDList processInput(TranslatorContext ctx, FloatTensor input) {
        NDArray array = ctx.getNDManager().create(input.data(), new Shape(input.shape()));
        return new NDList(array);
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        NDArray output = list.get(0);
        long[] shape = output.getShape().getShape();
        float[] flat = output.toType(ai.djl.ndarray.types.DataType.FLOAT32, false).toFloatArray();
        int batch = shape.length == 0 ? 1 : (int) shape[0];
        int each = batch == 0 ? 0 : flat.length / batch;
        float[][] out = new float[batch][each];
        for (int i = 0; i < batch; i++) {
            System.arraycopy(flat, i * each, out[i], 0, each);
        }
        return out;
    }
}
