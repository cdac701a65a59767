package io.keshikaran.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

/** What a user sees when start-up fails: Spring Boot's failure analysis, naming the property and the allowed values. */
@ExtendWith(OutputCaptureExtension.class)
class StartupFailureTest {

    @SpringBootConfiguration
    @EnableAutoConfiguration
    static class App {
    }

    private static void start(String... properties) {
        new SpringApplicationBuilder(App.class).web(WebApplicationType.NONE).properties(properties).run().close();
    }

    @Test
    void anUnknownPresetListsThePresets(CapturedOutput output) {
        assertThatThrownBy(() -> start("keshikaran.preset=yahoo")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START").contains("keshikaran.preset")
                .contains("NSFWJS").contains("YAHOO_OPEN_NSFW");
    }

    @Test
    void anUnknownModelListsTheBundledModels(CapturedOutput output) {
        assertThatThrownBy(() -> start("keshikaran.model=mobilenet_v3")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START")
                .contains("Invalid value 'mobilenet_v3' for configuration property 'keshikaran.model'")
                .contains("mobilenet_v2_mid");
    }

    @Test
    void aBadEnumListsItsValues(CapturedOutput output) {
        assertThatThrownBy(() -> start("keshikaran.decode.orientation=sideways")).isNotNull();
        assertThat(output).contains("APPLICATION FAILED TO START").contains("keshikaran.decode.orientation")
                .contains("APPLY").contains("IGNORE");
    }
}
