package io.keshikaran.converter;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class QuantizationTest {

    // A real entry of nsfwjs's mobilenet_v2 manifest: Conv1/kernel.
    private static final double MIN = -0.87334511607301;
    private static final double SCALE = 0.006666756611244351;

    @Test
    void dequantizesInDoublesThenRoundsToFloatLikeTfjs() {
        // tfjs: Float32Array[i] = q * scale + min (JavaScript doubles). Float arithmetic would give -0.86001164.
        assertThat(Quantization.dequantize(2, MIN, SCALE)).isEqualTo(-0.8600116f);
        assertThat((float) 2 * (float) SCALE + (float) MIN).isEqualTo(-0.86001164f);
        assertThat(Quantization.dequantize(0, MIN, SCALE)).isEqualTo((float) MIN);
        assertThat(Quantization.dequantize(255, MIN, SCALE)).isEqualTo((float) (255 * SCALE + MIN));
    }

    @Test
    void theNudgedZeroPointIsExactlyZero() {
        // tfjs's quantizer makes 0 representable; with double math q = 131 gives exactly +0.0, whereas a fused
        // multiply-add would give 1.2e-17.
        assertThat(Float.floatToRawIntBits(Quantization.dequantize(131, MIN, SCALE))).isZero();
        assertThat((float) Math.fma(131, SCALE, MIN)).isNotZero();
    }

    @Test
    void decodesUint8AndUint16LittleEndianAtOffsets() {
        byte[] data = {9, 9, 0, (byte) 255, 7, 1, 2, 1};
        WeightSpec u8 = new WeightSpec("a", new long[] {2}, "float32", new Quantization("uint8", -1, 0.5));
        WeightTensor a = WeightTensor.decode(u8, data, 2);
        assertThat(a.quantizedValues()).containsExactly(0, 255);
        assertThat(a.values()).containsExactly(-1f, 126.5f);
        WeightSpec u16 = new WeightSpec("b", new long[] {1, 2}, "float32", new Quantization("uint16", 0, 1));
        WeightTensor b = WeightTensor.decode(u16, data, 4);
        assertThat(b.quantizedValues()).containsExactly(7 + 256, 2 + 256);
        assertThat(b.isUint8()).isFalse();
    }

    @Test
    void transposeOrderMapsHwioToOihw() {
        // A [1, 2, 2, 3] HWIO kernel, element value = its flat index; OIHW = permutation [3, 2, 0, 1].
        int[] order = OnnxGraphBuilder.transposeOrder(new long[] {1, 2, 2, 3}, new int[] {3, 2, 0, 1});
        // OIHW[o][i][0][w] = HWIO[0][w][i][o] = (w * 2 + i) * 3 + o
        int k = 0;
        for (int o = 0; o < 3; o++) {
            for (int i = 0; i < 2; i++) {
                for (int w = 0; w < 2; w++) {
                    assertThat(order[k++]).isEqualTo((w * 2 + i) * 3 + o);
                }
            }
        }
    }
}
