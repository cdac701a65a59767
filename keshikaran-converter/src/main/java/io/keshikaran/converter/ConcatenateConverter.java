package io.keshikaran.converter;

import java.util.ArrayList;
import java.util.List;

/** {@code Concatenate} → ONNX {@code Concat}; the Keras channel axis (3 or -1) is axis 1 of an NCHW tensor. */
final class ConcatenateConverter implements LayerConverter {

    @Override
    public KerasTensor convert(LayerContext ctx) {
        int axis = ctx.config().integer("axis", -1);
        List<KerasTensor> inputs = ctx.inputs();
        if (inputs.size() < 2) {
            throw ctx.error("needs at least two inputs but has " + inputs.size());
        }
        KerasTensor first = inputs.get(0);
        int rank = first.rank();
        int kerasAxis = axis < 0 ? rank + axis : axis;
        if (kerasAxis <= 0 || kerasAxis >= rank) {
            throw ctx.unsupported("axis", axis, "must be a non-batch axis of the rank-" + rank + " inputs");
        }
        long[] shape = first.shape();
        shape[kerasAxis] = 0;
        List<String> names = new ArrayList<>();
        for (KerasTensor t : inputs) {
            if (t.rank() != rank || t.channelsFirst() != first.channelsFirst()) {
                throw ctx.error("concatenates tensors of different ranks: " + inputs);
            }
            for (int i = 1; i < rank; i++) {
                if (i != kerasAxis && t.dim(i) != first.dim(i)) {
                    throw ctx.error("concatenates tensors whose shapes differ off the concatenation axis: " + inputs);
                }
            }
            shape[kerasAxis] += t.dim(kerasAxis);
            names.add(t.onnxName());
        }
        String out = ctx.outputName();
        ctx.graph().node("Concat", names, out, List.of(OnnxGraphBuilder.intAttr("axis", first.onnxAxis(kerasAxis))));
        return new KerasTensor(out, shape, first.channelsFirst());
    }
}
