package io.keshikaran.converter;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/** {@code Add} → ONNX {@code Add} (two inputs) or {@code Sum} (more). Inputs must have identical shapes. */
final class AddConverter implements LayerConverter {

    @Override
    public KerasTensor convert(LayerContext ctx) {
        List<KerasTensor> inputs = ctx.inputs();
        if (inputs.size() < 2) {
            throw ctx.error("needs at least two inputs but has " + inputs.size());
        }
        KerasTensor first = inputs.get(0);
        List<String> names = new ArrayList<>();
        for (KerasTensor t : inputs) {
            // Keras would broadcast some shapes; tfjs models from Keras applications never need it, so refuse.
            if (!Arrays.equals(t.shape(), first.shape()) || t.channelsFirst() != first.channelsFirst()) {
                throw ctx.error("adds tensors of different shapes " + inputs + "; broadcasting is not supported");
            }
            names.add(t.onnxName());
        }
        String out = ctx.outputName();
        ctx.graph().node(inputs.size() == 2 ? "Add" : "Sum", names, out);
        return first.renamed(out);
    }
}
