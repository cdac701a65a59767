package io.keshikaran.converter;

import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import ai.onnxruntime.OrtException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.keshikaran.converter.SyntheticModel.cfg;
import static org.assertj.core.api.Assertions.assertThat;

class WeightStorageTest {

    private final SyntheticModel m = new SyntheticModel(7).input("in", 6, 6, 8)
            .layer("Conv2D", "big", cfg("filters", 16, "kernel_size", 3, "padding", "same", "use_bias", true), "in")
            .layer("BatchNormalization", "bn", cfg("axis", -1, "epsilon", 1e-3), "big");

    {
        m.weight("big/kernel", 3, 3, 8, 16); // 1152 values: worth storing as uint8
        m.weight("big/bias", 16); // 16 values: stays float32
        m.weight("bn/gamma", 16);
        m.weight("bn/beta", 16);
        m.weight("bn/moving_mean", 16);
        m.positiveWeight("bn/moving_variance", 16);
    }

    private ModelProto convert(WeightStorage storage) {
        return TfjsToOnnxConverter.convert(m.build("bn"), ConversionOptions.defaults().withWeightStorage(storage));
    }

    private static List<String> ops(ModelProto model) {
        return model.getGraph().getNodeList().stream().map(NodeProto::getOpType).toList();
    }

    private static long uint8Initializers(ModelProto model) {
        return model.getGraph().getInitializerList().stream()
                .filter(t -> t.getDataType() == TensorProto.DataType.UINT8_VALUE).count();
    }

    @Test
    void lookupTableStorageIsBitExactAndSmaller() throws OrtException {
        ModelProto f32 = convert(WeightStorage.FLOAT32);
        ModelProto lut = convert(WeightStorage.UINT8_LUT);
        assertThat(uint8Initializers(f32)).isZero();
        assertThat(uint8Initializers(lut)).isEqualTo(1);
        assertThat(ops(lut)).contains("Cast", "Gather");
        assertThat(lut.getSerializedSize()).isLessThan(f32.getSerializedSize());
        float[] x = m.randomInput(1, 6, 6, 8);
        for (boolean optimize : new boolean[] {false, true}) {
            float[] a = Onnx.run(f32.toByteArray(), optimize, x, 1, 6, 6, 8).values();
            float[] b = Onnx.run(lut.toByteArray(), optimize, x, 1, 6, 6, 8).values();
            assertThat(b).as("optimize=%s", optimize).containsExactly(a);
        }
    }

    @Test
    void affineStorageIsCloseButComputedInFloat() throws OrtException {
        ModelProto f32 = convert(WeightStorage.FLOAT32);
        ModelProto affine = convert(WeightStorage.UINT8_AFFINE);
        assertThat(ops(affine)).contains("Cast", "Mul", "Add");
        assertThat(uint8Initializers(affine)).isEqualTo(6);
        float[] x = m.randomInput(1, 6, 6, 8);
        float[] a = Onnx.run(f32.toByteArray(), true, x, 1, 6, 6, 8).values();
        LayerConversionTest.assertClose(Onnx.run(affine.toByteArray(), true, x, 1, 6, 6, 8).values(), a);
    }

    @Test
    void everyStorageIsDeterministicAndRecordedInMetadata() {
        for (WeightStorage s : WeightStorage.values()) {
            assertThat(convert(s).toByteArray()).isEqualTo(convert(s).toByteArray());
            assertThat(convert(s).getMetadataPropsList()).anySatisfy(p -> {
                assertThat(p.getKey()).isEqualTo("keshikaran.weight_storage");
                assertThat(p.getValue()).isEqualTo(s.id());
            });
            assertThat(WeightStorage.fromId(s.id())).isEqualTo(s);
        }
    }

    @Test
    void graphSignatureIsNhwcInWithSymbolicBatch() {
        ModelProto model = convert(WeightStorage.UINT8_LUT);
        assertThat(model.getOpsetImport(0).getVersion()).isEqualTo(13);
        var input = model.getGraph().getInput(0);
        assertThat(input.getName()).isEqualTo("input");
        assertThat(input.getType().getTensorType().getShape().getDim(0).getDimParam()).isEqualTo("N");
        assertThat(TfjsToOnnxConverter.inputShape(model)).containsExactly(-1, 6, 6, 8);
        assertThat(model.getGraph().getOutput(0).getName()).isEqualTo("probabilities");
        assertThat(TfjsToOnnxConverter.outputShape(model)).containsExactly(-1, 6, 6, 16);
    }
}
