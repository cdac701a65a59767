package io.keshikaran.image;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DecodeOptionsTest {

    @Test
    void defaultsShowWhatAViewerSees() {
        DecodeOptions d = DecodeOptions.defaults();
        assertThat(d.orientation()).isEqualTo(DecodeOptions.Orientation.APPLY);
        assertThat(d.transparency()).isEqualTo(DecodeOptions.Transparency.FILL_TRANSPARENT);
        assertThat(d.background()).isEqualTo(0xFFFFFF);
        assertThat(d.maxFrames()).isEqualTo(32);
        assertThat(d.frameStep()).isEqualTo(1);
        assertThat(d.frameAggregate()).isEqualTo(DecodeOptions.FrameAggregate.MAX);
        assertThat(DecodeOptions.builder().build()).isEqualTo(d).hasSameHashCodeAs(d);
    }

    @Test
    void nsfwjsCompatibleIgnoresOrientationKeepsStoredColourAndTakesOneFrame() {
        DecodeOptions n = DecodeOptions.nsfwjsCompatible();
        assertThat(n.orientation()).isEqualTo(DecodeOptions.Orientation.IGNORE);
        assertThat(n.transparency()).isEqualTo(DecodeOptions.Transparency.KEEP_STORED_COLOR);
        assertThat(n.maxFrames()).isEqualTo(1);
        assertThat(n).isNotEqualTo(DecodeOptions.defaults());
    }

    @Test
    void builderValidatesAndCopies() {
        assertThatThrownBy(() -> DecodeOptions.builder().optMaxFrames(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxFrames must be within 1..1000");
        assertThatThrownBy(() -> DecodeOptions.builder().optFrameStep(1001)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> DecodeOptions.builder().optBackground(0x1000000)).isInstanceOf(IllegalArgumentException.class);
        DecodeOptions black = DecodeOptions.builder()
                .optTransparency(DecodeOptions.Transparency.KEEP_STORED_COLOR)
                .optBackground(0x000000)
                .build();
        assertThat(black.transparency()).isEqualTo(DecodeOptions.Transparency.KEEP_STORED_COLOR);
        DecodeOptions copy = black.toBuilder().optFrameAggregate(DecodeOptions.FrameAggregate.MEAN).build();
        assertThat(copy.background()).isZero();
        assertThat(copy.frameAggregate()).isEqualTo(DecodeOptions.FrameAggregate.MEAN);
        assertThat(copy.toString()).contains("background=#000000", "frameAggregate=MEAN");
    }
}
