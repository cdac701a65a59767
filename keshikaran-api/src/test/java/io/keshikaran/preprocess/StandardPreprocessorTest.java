package io.keshikaran.preprocess;

import io.keshikaran.image.RgbImage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class StandardPreprocessorTest {

    /** A w x h image whose sample at (x, y, c) is (x * 10 + y * 3 + c * 50) mod 256. */
    private static RgbImage gradient(int w, int h) {
        byte[] rgb = new byte[w * h * 3];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 3; c++) {
                    rgb[(y * w + x) * 3 + c] = (byte) value(x, y, c);
                }
            }
        }
        return new RgbImage(w, h, rgb);
    }

    private static int value(int x, int y, int c) {
        return (x * 10 + y * 3 + c * 50) % 256;
    }

    @Test
    void sameSizeIsDividedBy255WithoutResampling() {
        RgbImage image = gradient(4, 3);
        FloatTensor t = Preprocessor.of(PreprocessingSpec.builder().setSize(3, 4).build()).preprocess(image);
        assertThat(t.shape()).containsExactly(1, 3, 4, 3);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 4; x++) {
                for (int c = 0; c < 3; c++) {
                    assertThat(t.get((y * 4 + x) * 3 + c)).isEqualTo(value(x, y, c) / 255f);
                }
            }
        }
    }

    @Test
    void alignCornersMapsCornersOntoCornersAndInterpolatesLinearly() {
        // 3x3 -> 5x5 with align corners: output (i, j) samples input (i / 2, j / 2).
        RgbImage image = gradient(3, 3);
        FloatTensor t = Preprocessor.of(PreprocessingSpec.nsfwjs(5)).preprocess(image);
        for (int y = 0; y < 5; y++) {
            for (int x = 0; x < 5; x++) {
                for (int c = 0; c < 3; c++) {
                    // The gradient is linear in x and y (no wrap below 256), so bilinear is exact.
                    double expected = (x / 2.0 * 10 + y / 2.0 * 3 + c * 50) / 255.0;
                    assertThat((double) t.get((y * 5 + x) * 3 + c)).isCloseTo(expected, within(1e-6));
                }
            }
        }
    }

    @Test
    void alignCornersDownscaleKeepsTheFourCorners() {
        RgbImage image = gradient(9, 7);
        FloatTensor t = Preprocessor.of(PreprocessingSpec.nsfwjs(2)).preprocess(image);
        assertThat(t.get(0)).isEqualTo(value(0, 0, 0) / 255f);
        assertThat(t.get(3)).isEqualTo(value(8, 0, 0) / 255f);
        assertThat(t.get(6)).isEqualTo(value(0, 6, 0) / 255f);
        assertThat(t.get(9 + 2)).isEqualTo(value(8, 6, 2) / 255f);
    }

    @Test
    void onePixelImagesAreBroadcast() {
        RgbImage image = new RgbImage(1, 1, new byte[] {(byte) 255, 0, (byte) 128});
        FloatTensor t = Preprocessor.of(PreprocessingSpec.nsfwjs(3)).preprocess(image);
        for (int i = 0; i < 9; i++) {
            assertThat(t.get(i * 3)).isEqualTo(1f);
            assertThat(t.get(i * 3 + 1)).isEqualTo(0f);
            assertThat(t.get(i * 3 + 2)).isEqualTo(128 / 255f);
        }
    }

    @Test
    void nchwBgrWithMeanAndStd() {
        RgbImage image = gradient(2, 2);
        PreprocessingSpec spec = PreprocessingSpec.builder().setSize(2, 2)
                .optLayout(Layout.NCHW).optChannelOrder(ChannelOrder.BGR).optPixelDivisor(1f)
                .optNormalization(new float[] {104, 117, 123}, new float[] {1, 2, 4}).build();
        FloatTensor t = Preprocessor.of(spec).preprocess(image);
        assertThat(t.shape()).containsExactly(1, 3, 2, 2);
        float[] mean = {104, 117, 123};
        float[] std = {1, 2, 4};
        for (int c = 0; c < 3; c++) {
            int source = 2 - c; // BGR: channel 0 is blue
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 2; x++) {
                    float expected = (value(x, y, source) - mean[c]) / std[c];
                    assertThat(t.get(c * 4 + y * 2 + x)).isEqualTo(expected);
                }
            }
        }
    }

    @Test
    void centerCropCutsTheMiddleOfTheResizedImage() {
        // Same-size resize, then crop the centre 2x2 of 4x4: offsets (1, 1).
        RgbImage image = gradient(4, 4);
        PreprocessingSpec spec = PreprocessingSpec.builder().setSize(2, 2).optCenterCrop(4, 4).build();
        FloatTensor t = Preprocessor.of(spec).preprocess(image);
        for (int y = 0; y < 2; y++) {
            for (int x = 0; x < 2; x++) {
                assertThat(t.get((y * 2 + x) * 3)).isEqualTo(value(x + 1, y + 1, 0) / 255f);
            }
        }
    }

    @Test
    void bilinearShrinkByTwoAveragesPixelPairs() {
        // A triangle filter widened by 2 over half-pixel centres averages each 2x2 block with
        // weights 1/8, 3/8, 3/8, 1/8 per axis, clipped at the border; on a linear ramp that keeps
        // the block centre's value away from the borders.
        RgbImage image = gradient(8, 1);
        PreprocessingSpec spec = PreprocessingSpec.builder().setSize(1, 4).optResize(ResizeMethod.BILINEAR).build();
        FloatTensor t = Preprocessor.of(spec).preprocess(image);
        // Output x = 1 covers input 2 and 3: centre 2.5 -> 25.
        assertThat((double) t.get(3)).isCloseTo(25 / 255.0, within(1e-6));
        assertThat((double) t.get(6)).isCloseTo(45 / 255.0, within(1e-6));
    }

    @Test
    void nearestPicksTheCoveringPixel() {
        RgbImage image = gradient(4, 4);
        PreprocessingSpec spec = PreprocessingSpec.builder().setSize(2, 2).optResize(ResizeMethod.NEAREST).build();
        FloatTensor t = Preprocessor.of(spec).preprocess(image);
        // Output (1, 1) covers input centre (3, 3) -> floor((1 + 0.5) * 2) = 3.
        assertThat(t.get((1 * 2 + 1) * 3)).isEqualTo(value(3, 3, 0) / 255f);
    }

    @Test
    void batchStacksImages() {
        Preprocessor p = Preprocessor.of(PreprocessingSpec.nsfwjs(4));
        FloatTensor batch = p.preprocessBatch(java.util.List.of(gradient(5, 5), gradient(7, 3)));
        assertThat(batch.shape()).containsExactly(2, 4, 4, 3);
        assertThat(batch.get(48)).isEqualTo(p.preprocess(gradient(7, 3)).get(0));
    }

    @Test
    void invalidSpecsAreRejectedWithTheField() {
        assertThatThrownBy(() -> PreprocessingSpec.builder().build())
                .hasMessageContaining("input size");
        assertThatThrownBy(() -> PreprocessingSpec.builder().setSize(2, 2)
                .optNormalization(new float[] {0, 0, 0}, new float[] {1, 0, 1}).build())
                .hasMessageContaining("std[1]");
        assertThatThrownBy(() -> PreprocessingSpec.builder().setSize(224, 224).optCenterCrop(200, 256).build())
                .hasMessageContaining("center crop");
    }
}
