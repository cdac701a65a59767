package io.keshikaran.converter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.keshikaran.converter.SyntheticGraph.b;
import static io.keshikaran.converter.SyntheticGraph.i;
import static io.keshikaran.converter.SyntheticGraph.ints;
import static io.keshikaran.converter.SyntheticGraph.s;
import static io.keshikaran.converter.SyntheticGraph.strings;
import static io.keshikaran.converter.SyntheticGraph.type;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every graph the converter cannot translate exactly fails with a message naming the node, its op and the cause. */
class GraphConverterErrorsTest {

    private static void convert(TfjsGraphModel model) {
        TfjsToOnnxConverter.convert(model, ConversionOptions.defaults());
    }

    private static UnsupportedModelException unsupported(SyntheticGraph g) {
        return catchThrowableOfType(UnsupportedModelException.class, () -> convert(g.build()));
    }

    /** A fused conv on a 4x4x1 input, with the attributes given (overriding the defaults). */
    private static SyntheticGraph conv(String[] fusedOps, Object... overrides) {
        SyntheticGraph g = new SyntheticGraph(1).placeholder("input", 4, 4, 1);
        g.constant("w", 3, 3, 1, 2);
        g.constant("bias", 2);
        Object[] attrs = {"T", type("DT_FLOAT"), "strides", ints(1, 1, 1, 1), "padding", s("SAME"),
            "data_format", s("NHWC"), "dilations", ints(1, 1, 1, 1), "fused_ops", strings(fusedOps),
            "num_args", i(1)};
        List<Object> merged = new java.util.ArrayList<>(List.of(attrs));
        for (int k = 0; k < overrides.length; k += 2) {
            int at = merged.indexOf(overrides[k]);
            if (at >= 0) {
                merged.set(at + 1, overrides[k + 1]);
            } else {
                merged.add(overrides[k]);
                merged.add(overrides[k + 1]);
            }
        }
        return g.node("_FusedConv2D", "my_conv", List.of("input", "w", "bias"), merged.toArray());
    }

    @Test
    void unsupportedOpNamesNodeOpAndTheSupportedOps() {
        SyntheticGraph g = new SyntheticGraph(1).placeholder("input", 4, 4, 1);
        g.op("Tanh", "my_tanh", "input");
        UnsupportedModelException e = unsupported(g);
        assertThat(e.layerName()).isEqualTo("my_tanh");
        assertThat(e.layerClass()).isEqualTo("Tanh");
        assertThat(e.attribute()).isNull();
        assertThat(e).hasMessageContaining("'my_tanh'").hasMessageContaining("'Tanh'")
                .hasMessageContaining("_FusedConv2D");
    }

    @Test
    void fusedOpsThatAreNotBiasAddPlusAPlainActivationAreRejected() {
        for (String[] fused : List.of(new String[] {"FusedBatchNorm", "Relu"}, new String[] {"BiasAdd", "Prelu"},
                new String[] {"BiasAdd", "LeakyRelu"}, new String[] {"BiasAdd", "Elu"}, new String[0],
                new String[] {"BiasAdd", "Relu", "Relu6"})) {
            UnsupportedModelException e = unsupported(conv(fused));
            assertThat(e.attribute()).as(List.of(fused).toString()).isEqualTo("fused_ops");
            assertThat(e).hasMessageContaining("my_conv").hasMessageContaining("_FusedConv2D");
        }
        assertThat(unsupported(conv(new String[] {"BiasAdd"}, "num_args", i(2))).attribute()).isEqualTo("num_args");
    }

    @Test
    void unsupportedAttributeValuesNameTheAttribute() {
        String[] biasAdd = {"BiasAdd", "Relu6"};
        assertThat(unsupported(conv(biasAdd, "data_format", s("NCHW"))).attribute()).isEqualTo("data_format");
        assertThat(unsupported(conv(biasAdd, "dilations", ints(1, 2, 2, 1))).attribute()).isEqualTo("dilations");
        assertThat(unsupported(conv(biasAdd, "strides", ints(2, 1, 1, 1))).attribute()).isEqualTo("strides");
        assertThat(unsupported(conv(biasAdd, "padding", s("CAUSAL"))).attribute()).isEqualTo("padding");
        assertThat(unsupported(conv(biasAdd, "explicit_paddings", ints(0, 0, 1, 1, 1, 1, 0, 0))).attribute())
                .isEqualTo("explicit_paddings");
        assertThat(unsupported(conv(biasAdd, "T", type("DT_HALF"))).attribute()).isEqualTo("T");
        UnsupportedModelException unknown = unsupported(conv(biasAdd, "frobnicate", b(true)));
        assertThat(unknown.attribute()).isEqualTo("frobnicate");
        assertThat(unknown).hasMessageContaining("Node 'my_conv' (_FusedConv2D)").hasMessageContaining("'frobnicate'");
    }

    @Test
    void tensorFlowInternalAttributesAreIgnored() {
        SyntheticGraph g = conv(new String[] {"BiasAdd"}, "_output_shapes", ints());
        convert(g.build());
    }

    @Test
    void kernelsAndBiasesMustBeConstantsOfTheRightShape() {
        SyntheticGraph computedKernel = new SyntheticGraph(1).placeholder("input", 4, 4, 1);
        computedKernel.node("Conv2D", "c", List.of("input", "input"), "T", type("DT_FLOAT"),
                "strides", ints(1, 1, 1, 1), "padding", s("SAME"));
        assertThat(unsupported(computedKernel)).hasMessageContaining("needs a constant as input 1");

        SyntheticGraph wrongChannels = new SyntheticGraph(1).placeholder("input", 4, 4, 1);
        wrongChannels.constant("w", 3, 3, 2, 2);
        wrongChannels.node("Conv2D", "c", List.of("input", "w"), "T", type("DT_FLOAT"),
                "strides", ints(1, 1, 1, 1), "padding", s("SAME"));
        assertThatThrownBy(() -> convert(wrongChannels.build())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Node 'c' (Conv2D)").hasMessageContaining("[3, 3, 2, 2]")
                .hasMessageContaining("1 channels");

        SyntheticGraph wrongBias = new SyntheticGraph(1).placeholder("input", 4, 4, 1);
        wrongBias.constant("w", 3, 3, 1, 2);
        wrongBias.constant("bias", 3);
        wrongBias.fusedConv(false, "c", "input", "w", "bias", 1, "SAME", "BiasAdd");
        assertThatThrownBy(() -> convert(wrongBias.build())).hasMessageContaining("bias of shape [3]");
    }

    @Test
    void broadcastsOtherThanScalarOrPerChannelAreRejected() {
        SyntheticGraph g = new SyntheticGraph(1).placeholder("input", 4, 4, 3);
        g.constant("row", 4, 1, 1);
        g.op("Mul", "m", "input", "row");
        assertThatThrownBy(() -> convert(g.build())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Node 'm' (Mul)").hasMessageContaining("per-channel");

        SyntheticGraph twoConstants = new SyntheticGraph(1).placeholder("input", 4, 4, 3);
        twoConstants.constant("a", 3);
        twoConstants.constant("b", 3);
        twoConstants.op("Mul", "ab", "a", "b");
        twoConstants.op("Mul", "out", "input", "ab");
        assertThat(unsupported(twoConstants)).hasMessageContaining("constant folding");

        SyntheticGraph shapes = new SyntheticGraph(1).placeholder("input", 4, 4, 3);
        shapes.node("AvgPool", "p", List.of("input"), "T", type("DT_FLOAT"), "ksize", ints(1, 2, 2, 1),
                "strides", ints(1, 2, 2, 1), "padding", s("VALID"), "data_format", s("NHWC"));
        shapes.op("AddV2", "sum", "input", "p");
        assertThatThrownBy(() -> convert(shapes.build())).hasMessageContaining("different shapes");
    }

    @Test
    void squeezeOfOtherAxesIsRejected() {
        SyntheticGraph g = new SyntheticGraph(1).placeholder("input", 1, 1, 3);
        g.node("Squeeze", "sq", List.of("input"), "T", type("DT_FLOAT"), "squeeze_dims", ints(0, 1, 2));
        assertThat(unsupported(g).attribute()).isEqualTo("squeeze_dims");
        SyntheticGraph notOne = new SyntheticGraph(1).placeholder("input", 2, 1, 3);
        notOne.node("Squeeze", "sq", List.of("input"), "T", type("DT_FLOAT"), "squeeze_dims", ints(1, 2));
        assertThat(unsupported(notOne)).hasMessageContaining("[N, 1, 1, C]");
    }

    @Test
    void weightsAndConstNodesMustMatch() {
        SyntheticGraph noWeight = new SyntheticGraph(1).placeholder("input", 2);
        noWeight.node("Const", "c", List.of(), "dtype", type("DT_FLOAT"));
        noWeight.op("Mul", "m", "input", "c");
        assertThatThrownBy(() -> convert(noWeight.build())).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("Node 'c' (Const)").hasMessageContaining("weights manifest");

        SyntheticGraph orphan = new SyntheticGraph(1).placeholder("input", 2);
        orphan.orphanWeight("stray", 2);
        orphan.op("Relu", "r", "input");
        assertThatThrownBy(() -> convert(orphan.build())).hasMessageContaining("no Const node")
                .hasMessageContaining("stray");

        SyntheticGraph shape = new SyntheticGraph(1).placeholder("input", 2);
        shape.constant("c", 2);
        ObjectNode json = shape.op("Mul", "m", "input", "c").modelJson("w");
        ((com.fasterxml.jackson.databind.node.ArrayNode) json.at("/modelTopology/node/1/attr/value/tensor/tensorShape/dim"))
                .addObject().put("size", "1");
        assertThatThrownBy(() -> convert(TfjsGraphModel.from(TfjsArtifacts.fromArtifacts(json,
                p -> shape.weightData())))).hasMessageContaining("declares shape [2, 1]");
    }

    @Test
    void malformedGraphsAreRejected() {
        SyntheticGraph missing = new SyntheticGraph(1).placeholder("input", 2);
        missing.op("Relu", "r", "nowhere");
        missing.signature("input:0", "r:0");
        assertThatThrownBy(() -> convert(missing.build())).hasMessageContaining("'nowhere'")
                .hasMessageContaining("not a node");

        SyntheticGraph cycle = new SyntheticGraph(1).placeholder("input", 2);
        cycle.op("AddV2", "a", "input", "b");
        cycle.op("Relu", "b", "a");
        cycle.op("Relu6", "out", "b");
        cycle.signature("input:0", "out:0");
        assertThatThrownBy(() -> convert(cycle.build())).hasMessageContaining("cycle");

        SyntheticGraph secondOutput = new SyntheticGraph(1).placeholder("input", 2);
        secondOutput.op("Relu", "r", "input:1");
        assertThat(unsupported(secondOutput)).hasMessageContaining("output 1 of 'input'");

        SyntheticGraph twoInputs = new SyntheticGraph(1).placeholder("input", 2).placeholder("other", 2);
        twoInputs.op("AddV2", "sum", "input", "other");
        assertThat(unsupported(twoInputs)).hasMessageContaining("2 Placeholder nodes");

        SyntheticGraph ambiguous = new SyntheticGraph(1).placeholder("input", 2);
        ambiguous.op("Relu", "r1", "input");
        ambiguous.op("Relu6", "r2", "input");
        assertThat(unsupported(ambiguous)).hasMessageContaining("cannot tell which one is the output");

        SyntheticGraph dynamic = new SyntheticGraph(1).placeholder("input", -1, 4, 3);
        dynamic.op("Relu", "r", "input");
        assertThat(unsupported(dynamic).attribute()).isEqualTo("shape");
    }

    @Test
    void layersAndGraphLoadersRefuseTheOtherFormat() {
        SyntheticGraph g = new SyntheticGraph(1).placeholder("input", 2);
        g.op("Relu", "r", "input");
        ObjectNode json = g.modelJson("w");
        TfjsArtifacts graph = TfjsArtifacts.fromArtifacts(json, p -> new byte[0]);
        assertThat(graph.format()).isEqualTo(TfjsArtifacts.GRAPH_MODEL);
        assertThatThrownBy(() -> TfjsLayersModel.from(graph)).hasMessageContaining("'graph-model'")
                .hasMessageContaining("TfjsGraphModel");
        json.remove("format"); // tfjs does not require the field: a GraphDef topology says it all
        assertThat(TfjsArtifacts.fromArtifacts(json, p -> new byte[0]).format()).isEqualTo(TfjsArtifacts.GRAPH_MODEL);

        SyntheticModel layers = new SyntheticModel(1).input("in", 2).layer("Activation", "a",
                SyntheticModel.cfg("activation", "relu"), "in");
        ObjectNode layersJson = layers.modelJson("a", "w");
        TfjsArtifacts layersArtifacts = TfjsArtifacts.fromArtifacts(layersJson, p -> new byte[0]);
        assertThat(layersArtifacts.format()).isEqualTo(TfjsArtifacts.LAYERS_MODEL);
        assertThatThrownBy(() -> TfjsGraphModel.from(layersArtifacts)).hasMessageContaining("'layers-model'");
        // Either kind converts through the format-dispatching entry point.
        assertThat(TfjsToOnnxConverter.convert(graph, ConversionOptions.defaults()).getGraph().getNodeList())
                .isNotEmpty();
        assertThat(TfjsToOnnxConverter.convert(layersArtifacts, ConversionOptions.defaults()).getGraph()
                .getNodeList()).isNotEmpty();
    }
}
