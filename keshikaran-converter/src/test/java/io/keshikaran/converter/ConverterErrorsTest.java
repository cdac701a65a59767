package io.keshikaran.converter;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.keshikaran.converter.SyntheticModel.cfg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Every unsupported or inconsistent input fails with a message that names the layer and the attribute. */
class ConverterErrorsTest {

    private static void convert(TfjsLayersModel model) {
        TfjsToOnnxConverter.convert(model, ConversionOptions.defaults());
    }

    private static SyntheticModel conv(ObjectNode extra) {
        ObjectNode config = cfg("filters", 2, "kernel_size", List.of(3, 3), "padding", "same", "use_bias", false);
        config.setAll(extra);
        SyntheticModel m = new SyntheticModel(1).input("in", 4, 4, 1).layer("Conv2D", "my_conv", config, "in");
        m.weight("my_conv/kernel", 3, 3, 1, 2);
        return m;
    }

    @Test
    void unsupportedLayerTypeNamesLayerAndType() {
        SyntheticModel m = new SyntheticModel(1).input("in", 4, 3).layer("LSTM", "lstm_1", cfg("units", 3), "in");
        UnsupportedModelException e = catchThrowableOfType(UnsupportedModelException.class,
                () -> convert(m.build("lstm_1")));
        assertThat(e.layerName()).isEqualTo("lstm_1");
        assertThat(e.layerClass()).isEqualTo("LSTM");
        assertThat(e.attribute()).isNull();
        assertThat(e).hasMessageContaining("'lstm_1'").hasMessageContaining("'LSTM'").hasMessageContaining("Conv2D");
    }

    @Test
    void unsupportedAttributeValueNamesTheAttribute() {
        UnsupportedModelException e = catchThrowableOfType(UnsupportedModelException.class,
                () -> convert(conv(cfg("dilation_rate", List.of(2, 2))).build("my_conv")));
        assertThat(e.attribute()).isEqualTo("dilation_rate");
        assertThat(e).hasMessageContaining("my_conv").hasMessageContaining("Conv2D").hasMessageContaining("dilation_rate");
    }

    @Test
    void unknownAttributeIsRejectedNotIgnored() {
        UnsupportedModelException e = catchThrowableOfType(UnsupportedModelException.class,
                () -> convert(conv(cfg("causal_mode", true)).build("my_conv")));
        assertThat(e.attribute()).isEqualTo("causal_mode");
        assertThat(e).hasMessageContaining("'causal_mode' = true");
    }

    @Test
    void unsupportedValuesOfKnownAttributes() {
        assertThat(catchThrowableOfType(UnsupportedModelException.class,
                () -> convert(conv(cfg("data_format", "channels_first")).build("my_conv"))).attribute())
                .isEqualTo("data_format");
        assertThat(catchThrowableOfType(UnsupportedModelException.class,
                () -> convert(conv(cfg("padding", "causal")).build("my_conv"))).attribute()).isEqualTo("padding");
        assertThat(catchThrowableOfType(UnsupportedModelException.class,
                () -> convert(conv(cfg("activation", "elu")).build("my_conv"))).attribute()).isEqualTo("activation");
        SyntheticModel leaky = new SyntheticModel(1).input("in", 2, 2, 1)
                .layer("ReLU", "r", cfg("negative_slope", 0.1), "in");
        assertThat(catchThrowableOfType(UnsupportedModelException.class, () -> convert(leaky.build("r"))).attribute())
                .isEqualTo("negative_slope");
        SyntheticModel bnAxis = new SyntheticModel(1).input("in", 2, 2, 3)
                .layer("BatchNormalization", "bn", cfg("axis", 1), "in");
        assertThat(catchThrowableOfType(UnsupportedModelException.class, () -> convert(bnAxis.build("bn"))).attribute())
                .isEqualTo("axis");
    }

    @Test
    void missingWeightIsNamed() {
        SyntheticModel m = new SyntheticModel(1).input("in", 4, 4, 1)
                .layer("Conv2D", "c", cfg("filters", 2, "kernel_size", 3, "use_bias", true), "in");
        m.weight("c/kernel", 3, 3, 1, 2);
        assertThatThrownBy(() -> convert(m.build("c"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'c/bias'");
    }

    @Test
    void weightWithTheWrongShapeIsNamed() {
        SyntheticModel m = new SyntheticModel(1).input("in", 4, 4, 1)
                .layer("Conv2D", "c", cfg("filters", 2, "kernel_size", 3, "use_bias", false), "in");
        m.weight("c/kernel", 3, 3, 2, 1);
        assertThatThrownBy(() -> convert(m.build("c"))).isInstanceOf(ModelFormatException.class)
                .hasMessageContaining("'c/kernel' has shape [3, 3, 2, 1]").hasMessageContaining("[3, 3, 1, 2]");
    }

    @Test
    void weightThatNoLayerUsesFailsTheConversion() {
        SyntheticModel m = conv(cfg());
        m.weight("my_conv/bias", 2); // use_bias is false: silently dropping it would change the model
        assertThatThrownBy(() -> convert(m.build("my_conv"))).hasMessageContaining("not used by any layer")
                .hasMessageContaining("my_conv/bias");
    }

    @Test
    void weightDataOfTheWrongLengthIsRejected() {
        SyntheticModel m = conv(cfg());
        ObjectNode json = m.modelJson("my_conv", "w");
        byte[] data = m.weightData();
        assertThatThrownBy(() -> TfjsLayersModel.of(json.get("modelTopology"), json.get("weightsManifest"),
                java.util.Arrays.copyOf(data, data.length - 1))).hasMessageContaining("ends inside weight 'my_conv/kernel'");
        assertThatThrownBy(() -> TfjsLayersModel.of(json.get("modelTopology"), json.get("weightsManifest"),
                java.util.Arrays.copyOf(data, data.length + 1))).hasMessageContaining("describes 18 bytes")
                .hasMessageContaining("hold 19");
    }

    @Test
    void unsupportedQuantizationIsRejected() {
        SyntheticModel m = conv(cfg());
        ObjectNode json = m.modelJson("my_conv", "w");
        ((ObjectNode) json.get("weightsManifest").get(0).get("weights").get(0).get("quantization")).put("dtype", "float16");
        assertThatThrownBy(() -> TfjsLayersModel.of(json.get("modelTopology"), json.get("weightsManifest"),
                m.weightData())).hasMessageContaining("float16");
    }

    @Test
    void sharedLayersAndSequentialModelsAreRejected() {
        SyntheticModel shared = new SyntheticModel(1).input("in", 2, 2, 1)
                .layer("Activation", "a", cfg("activation", "relu"), "in");
        ObjectNode json = shared.modelJson("a", "w");
        var layer = (ObjectNode) json.at("/modelTopology/model_config/config/layers/1");
        ((com.fasterxml.jackson.databind.node.ArrayNode) layer.get("inbound_nodes")).add(layer.get("inbound_nodes").get(0).deepCopy());
        TfjsLayersModel model = TfjsLayersModel.of(json.get("modelTopology"), json.get("weightsManifest"), new byte[0]);
        assertThatThrownBy(() -> convert(model)).isInstanceOf(UnsupportedModelException.class)
                .hasMessageContaining("shared layers");

        ObjectNode seq = shared.modelJson("a", "w");
        ((ObjectNode) seq.at("/modelTopology/model_config")).put("class_name", "Sequential");
        assertThatThrownBy(() -> convert(TfjsLayersModel.of(seq.get("modelTopology"), seq.get("weightsManifest"),
                new byte[0]))).isInstanceOf(UnsupportedModelException.class).hasMessageContaining("Sequential");
    }

    @Test
    void denseOnAnImageTensorAndDynamicInputSizesAreRejected() {
        SyntheticModel dense = new SyntheticModel(1).input("in", 2, 2, 3)
                .layer("Dense", "d", cfg("units", 2), "in");
        dense.weight("d/kernel", 3, 2);
        dense.weight("d/bias", 2);
        assertThatThrownBy(() -> convert(dense.build("d"))).hasMessageContaining("'d' (Dense)")
                .hasMessageContaining("rank-4");

        SyntheticModel dynamic = new SyntheticModel(1).input("in", 2, 2, 3);
        ObjectNode json = dynamic.layer("Activation", "a", cfg("activation", "relu"), "in").modelJson("a", "w");
        ((com.fasterxml.jackson.databind.node.ArrayNode) json.at("/modelTopology/model_config/config/layers/0/config/batch_input_shape"))
                .set(1, com.fasterxml.jackson.databind.node.NullNode.instance);
        assertThatThrownBy(() -> convert(TfjsLayersModel.of(json.get("modelTopology"), json.get("weightsManifest"),
                new byte[0]))).isInstanceOf(UnsupportedModelException.class).hasMessageContaining("batch_input_shape");
    }
}
